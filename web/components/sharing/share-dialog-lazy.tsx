'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { ShareDialogProps } from './share-dialog';

const ShareDialog = dynamic(() => import('./share-dialog').then((module) => module.ShareDialog), {
  ssr: false,
});

/**
 * The share dialog (its forms, role selects and link list) loads the first time it is opened,
 * not with the editor: most visits to a sheet never share it. Once loaded it stays mounted, so
 * closing it animates as before.
 */
export function LazyShareDialog(props: ShareDialogProps) {
  const [wasOpened, setWasOpened] = useState(props.open);
  if (props.open && !wasOpened) setWasOpened(true);
  return wasOpened ? <ShareDialog {...props} /> : null;
}
