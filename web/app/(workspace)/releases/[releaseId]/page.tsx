import { isValidId } from '@patchline/shared';
import { notFound } from 'next/navigation';
import { ReleaseSheetEditor } from '@/components/release-sheet/release-sheet-editor';

/**
 * `/releases/<releaseId>`: a stable URL shared in mail and chat. The sheet itself is a client
 * component (it holds a live WebSocket, IndexedDB and the session's token); this server page only
 * turns away ids that cannot exist.
 */
export default async function ReleasePage({ params }: { params: Promise<{ releaseId: string }> }) {
  const { releaseId } = await params;
  if (!isValidId(releaseId)) notFound();
  return <ReleaseSheetEditor releaseId={releaseId} />;
}
