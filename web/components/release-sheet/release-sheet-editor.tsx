'use client';

import { SheetError } from '@patchline/shared';
import { ArrowLeftIcon, Redo2Icon, Undo2Icon } from 'lucide-react';
import Link from 'next/link';
import { type FocusEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { HistoryPanel } from '@/components/history/history-panel';
import { ImportDialog } from '@/components/import/import-dialog';
import { PageLoading } from '@/components/page-states';
import { RoleBadge, StatusBadge } from '@/components/releases/release-badges';
import { useRuntimeConfig } from '@/components/runtime-config-provider';
import { LazyShareDialog } from '@/components/sharing/share-dialog-lazy';
import { toast } from '@/components/toaster';
import { Button } from '@/components/ui/button';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
import { useReleaseDetails } from '@/hooks/api-queries';
import { useLabelChecks } from '@/hooks/use-label-checks';
import { useReleaseAccess } from '@/hooks/use-release-access';
import { useReleasePresence } from '@/hooks/use-release-presence';
import { useReleaseSaveStatus } from '@/hooks/use-release-save-status';
import { useReleaseProblems, useReleaseSheet } from '@/hooks/use-release-sheet';
import { useReleaseUndo } from '@/hooks/use-release-undo';
import { useSession } from '@/hooks/use-session';
import { ApiError } from '@/lib/api-client';
import { fieldTarget } from '@/lib/collab/field-ids';
import { editLocally } from '@/lib/collab/local-edits';
import { colorForUser, type PresenceUser } from '@/lib/collab/presence';
import { describeConnectionError, describeRejection } from '@/lib/collab/rejection-messages';
import { useReleaseConnection } from '@/lib/collab/use-release-connection';
import { historyAccess } from '@/lib/release-permissions';
import { DeliveriesList } from './deliveries-list';
import { LazyNotesEditor } from './notes-editor-lazy';
import { PresenceStack } from './presence-stack';
import { describePath, ProblemsPanel } from './problems-panel';
import { ReadOnlyBanner } from './read-only-banner';
import { ReleaseFieldsForm } from './release-fields-form';
import { ReleaseNotFound } from './release-not-found';
import { LABEL_FIELD_REASON, SheetContext, type SheetContextValue } from './sheet-context';
import { StatusChip } from './status-chip';
import { TrackList } from './track-list';
import { WorkflowActions } from './workflow-actions';

const NO_PROBLEMS: never[] = [];
const NO_PEERS: never[] = [];
const fieldPathOf = (target: EventTarget) =>
  target instanceof HTMLElement
    ? (target.closest('[data-field-path]')?.getAttribute('data-field-path') ?? null)
    : null;

/**
 * The collaborative release-sheet editor (issue 5, "the core"): one live Yjs document shared with
 * everyone in the release, with presence, live validation, per-user undo, offline edits kept in
 * IndexedDB, and the role's limits shown rather than only enforced.
 */
export function ReleaseSheetEditor({ releaseId }: { releaseId: string }) {
  const { websocketUrl } = useRuntimeConfig();
  const session = useSession();
  const meta = useReleaseDetails(releaseId);
  const reloadMeta = meta.refetch;

  const sessionUser = session.user;
  const presenceUser = useMemo<PresenceUser | null>(
    () =>
      sessionUser
        ? {
            sub: sessionUser.sub,
            name: sessionUser.name || sessionUser.email,
            color: colorForUser(sessionUser.sub),
          }
        : null,
    [sessionUser],
  );
  // Connect only to a release the API confirmed we may read (a 404 never opens a socket).
  const view = useReleaseConnection({
    releaseId,
    websocketUrl,
    user: meta.data ? presenceUser : null,
    getToken: session.getIdToken,
    onRejected: (message) => {
      const { title, description } = describeRejection(message, (path) =>
        describePath(path, sheetRef.current?.tracks ?? []),
      );
      toast.error(title, { description });
    },
    onError: (message) => {
      const notice = describeConnectionError(message);
      if (notice) toast.error(notice.title, { description: notice.description });
    },
    onRoleChanged: (message) => {
      toast.info('Your role changed', { description: message.message });
      void reloadMeta();
    },
    onRevoked: (message) => toast.error('Access removed', { description: message.message }),
  });
  const { doc, awareness } = view;

  const sheet = useReleaseSheet(doc);
  // Names refused fields by track number in `onRejected`, which the connection calls later.
  const sheetRef = useRef(sheet);
  sheetRef.current = sheet;
  const labelChecks = useLabelChecks(releaseId, sheet);
  const problems = useReleaseProblems(sheet, labelChecks.problems);
  const status = sheet?.release.status ?? meta.data?.status ?? 'draft';
  const access = useReleaseAccess({
    releaseId,
    user: sessionUser,
    role: meta.data?.role ?? null,
    status,
    isRevoked: view.isRevoked,
  });
  // Until the server has sent the sheet, nothing is editable (an empty form is not the sheet).
  const isEditable = !access.isReadOnly && view.hasSynced && !view.isResyncing;
  const presence = useReleasePresence(awareness);
  const undo = useReleaseUndo(doc, isEditable);
  const saveStatus = useReleaseSaveStatus(view, {
    isSessionExpired: session.status === 'expired',
    isReadOnly: access.isReadOnly,
  });

  const [expandedTracks, setExpandedTracks] = useState<ReadonlySet<string>>(new Set());
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  const [isShareOpen, setIsShareOpen] = useState(false);
  const [isImportOpen, setIsImportOpen] = useState(false);
  const lastFocusedPath = useRef<string | null>(null);

  const setTrackExpanded = useCallback((trackId: string, isExpanded: boolean) => {
    setExpandedTracks((current) => {
      if (current.has(trackId) === isExpanded) return current;
      const next = new Set(current);
      if (isExpanded) next.add(trackId);
      else next.delete(trackId);
      return next;
    });
  }, []);

  const focusField = useCallback(
    (path: string) => {
      const target = fieldTarget(path);
      if (target.expandTrackId) setTrackExpanded(target.expandTrackId, true);
      setPendingFocus(target.domId);
    },
    [setTrackExpanded],
  );

  useEffect(() => {
    if (!pendingFocus) return;
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const element = document.getElementById(pendingFocus);
      if (element) {
        element.scrollIntoView({ block: 'center', behavior: 'smooth' });
        element.focus({ preventScroll: true });
        setPendingFocus(null);
      } else if (tries++ < 10) {
        frame = requestAnimationFrame(attempt);
      } else {
        setPendingFocus(null);
      }
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [pendingFocus]);

  const title = sheet?.release.title.trim() || meta.data?.title || 'Untitled release';
  useEffect(() => {
    document.title = `${title} · Patchline`;
  }, [title]);

  const { canEdit: accessCanEdit, isLabelField } = access;
  const { byField, setField } = presence;
  const { byPath } = problems;
  const { stopCapturing } = undo;
  const context = useMemo<SheetContextValue | null>(() => {
    if (!doc) return null;
    const canEdit = (path: string) => isEditable && accessCanEdit(path);
    return {
      doc,
      releaseId,
      isEditable,
      canEdit,
      lockReason: (path) =>
        isEditable && isLabelField(path) && !accessCanEdit(path) ? LABEL_FIELD_REASON : null,
      problemsFor: (path) => byPath.get(path) ?? NO_PROBLEMS,
      peersIn: (path) => byField.get(path) ?? NO_PEERS,
      edit: (change) => {
        if (!isEditable) return;
        try {
          editLocally(doc, change);
        } catch (error) {
          if (!(error instanceof SheetError)) throw error;
          toast.error(error.message);
        }
      },
      newUndoStep: stopCapturing,
      expandedTracks,
      setTrackExpanded,
    };
  }, [
    stopCapturing,
    doc,
    releaseId,
    isEditable,
    accessCanEdit,
    isLabelField,
    byPath,
    byField,
    expandedTracks,
    setTrackExpanded,
  ]);

  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const path = fieldPathOf(event.target);
    if (path !== lastFocusedPath.current) undo.stopCapturing();
    lastFocusedPath.current = path;
    setField(path);
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    // Focus moving to another field sets it in onFocus; leaving the sheet clears it.
    if (!event.relatedTarget || !fieldPathOf(event.relatedTarget)) setField(null);
  };

  if (meta.error instanceof ApiError && meta.error.status === 404) return <ReleaseNotFound />;
  if (meta.error && !meta.data) throw meta.error;
  if (!context || !sheet || !presenceUser || !awareness || !meta.data)
    return <PageLoading label="Opening the release…" />;

  const showProblems = () => {
    const panel = document.getElementById('problems-heading');
    panel?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    // A refused submit may have found label-wide problems this page has not fetched yet.
    labelChecks.refresh();
  };

  return (
    <SheetContext.Provider value={context}>
      <div className="mx-auto flex w-full max-w-7xl flex-col gap-4 px-3 py-4 sm:px-6 sm:py-6">
        <header className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
            <Button variant="ghost" size="icon" asChild className="-ml-2 shrink-0">
              <Link href="/releases" aria-label="Back to releases">
                <ArrowLeftIcon aria-hidden />
              </Link>
            </Button>
            <h1
              className="min-w-0 flex-1 truncate text-xl font-semibold tracking-tight sm:text-2xl"
              data-testid="release-title"
            >
              {title}
            </h1>
            <div className="flex items-center gap-2">
              <StatusBadge status={status} />
              <RoleBadge role={meta.data.role} />
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
            <StatusChip status={saveStatus} />
            <PresenceStack people={presence.people} />
            <div className="flex items-center gap-1">
              <UndoButton
                testId="undo"
                label="Undo your last change"
                hint="Undo your last change (Ctrl/⌘+Z)"
                shortcuts="Control+Z Meta+Z"
                disabled={!undo.canUndo}
                onClick={undo.undo}
              >
                <Undo2Icon aria-hidden />
              </UndoButton>
              <UndoButton
                testId="redo"
                label="Redo"
                hint="Redo (Shift+Ctrl/⌘+Z)"
                shortcuts="Control+Shift+Z Meta+Shift+Z"
                disabled={!undo.canRedo}
                onClick={undo.redo}
              >
                <Redo2Icon aria-hidden />
              </UndoButton>
            </div>
            <div className="flex w-full flex-wrap items-center gap-2 sm:ml-auto sm:w-auto">
              <HistoryPanel
                releaseId={releaseId}
                tracks={sheet.tracks}
                access={historyAccess(
                  access.ability,
                  { releaseId, role: meta.data.role },
                  sessionUser ?? { groups: [] },
                  access,
                )}
              />
              <WorkflowActions
                releaseId={releaseId}
                title={title}
                transitions={access.transitions}
                blocking={problems.blocking}
                hasUnsavedChanges={view.hasUnsavedChanges}
                canShare={meta.data.canShare}
                onShare={() => setIsShareOpen(true)}
                onShowProblems={showProblems}
                {...(isEditable ? { onImport: () => setIsImportOpen(true) } : {})}
              />
            </div>
          </div>
          {access.readOnlyReason ? <ReadOnlyBanner reason={access.readOnlyReason} status={status} /> : null}
        </header>

        <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
          {/* biome-ignore lint/a11y/noStaticElementInteractions: focus tracking only, for presence */}
          <div className="flex min-w-0 flex-col gap-4" onFocus={onFocus} onBlur={onBlur}>
            <ReleaseFieldsForm release={sheet.release} />
            <TrackList tracks={sheet.tracks} />
            <LazyNotesEditor
              key={doc?.guid}
              doc={context.doc}
              awareness={awareness}
              user={presenceUser}
              isEditable={isEditable && access.canEdit('notes')}
              peers={context.peersIn('notes')}
            />
          </div>
          <aside className="flex flex-col gap-4 lg:sticky lg:top-20" aria-label="Validation">
            <ProblemsPanel
              problems={problems.all}
              labelWide={labelChecks.problems}
              labelStatus={labelChecks}
              tracks={sheet.tracks}
              onSelect={focusField}
            />
            <DeliveriesList releaseId={releaseId} title={title} status={status} />
          </aside>
        </div>
      </div>
      <ImportDialog releaseId={releaseId} open={isImportOpen} onOpenChange={setIsImportOpen} />
      {meta.data.canShare ? (
        <LazyShareDialog
          releaseId={releaseId}
          releaseTitle={title}
          open={isShareOpen}
          onOpenChange={setIsShareOpen}
        />
      ) : null}
    </SheetContext.Provider>
  );
}

/** An undo or redo icon button with its tooltip and keyboard shortcut. */
function UndoButton({
  testId,
  label,
  hint,
  shortcuts,
  disabled,
  onClick,
  children,
}: {
  testId: string;
  label: string;
  hint: string;
  shortcuts: string;
  disabled: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          data-testid={testId}
          aria-label={label}
          aria-keyshortcuts={shortcuts}
          disabled={disabled}
          onClick={onClick}
        >
          {children}
        </Button>
      </TooltipTrigger>
      <TooltipContent>{hint}</TooltipContent>
    </Tooltip>
  );
}
