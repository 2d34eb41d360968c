'use client';

import {
  DISTRIBUTOR_LAYOUT_IDS,
  DISTRIBUTOR_LAYOUTS,
  type DistributorLayoutId,
  type Problem,
  type StatusTransition,
} from '@patchline/shared';
import { DownloadIcon, Share2Icon, UploadIcon } from 'lucide-react';
import { useId } from 'react';
import { toast } from '@/components/toaster';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { staleAfter, useApiMutation } from '@/hooks/api-queries';
import { ApiError, errorMessage, useApi } from '@/lib/api-client';
import { releaseFileName, saveBlob } from '@/lib/save-download';

export const TRANSITION_LABELS: Record<StatusTransition, string> = {
  submit: 'Submit for review',
  approve: 'Approve',
  request_changes: 'Request changes',
  reopen: 'Reopen',
  deliver: 'Mark delivered',
};

const DONE_MESSAGES: Record<StatusTransition, string> = {
  submit: 'Submitted for review',
  approve: 'Release approved',
  request_changes: 'Changes requested',
  reopen: 'Release reopened for editing',
  deliver: 'Marked as delivered',
};

interface WorkflowActionsProps {
  releaseId: string;
  title: string;
  transitions: readonly StatusTransition[];
  blocking: readonly Problem[];
  hasUnsavedChanges: boolean;
  canShare: boolean;
  onShare: () => void;
  onShowProblems: () => void;
  /** Opens the import dialog; left out for those who may not edit the release now. */
  onImport?: () => void;
}

/** Workflow buttons the user's role allows from the current status, Share and Export. */
export function WorkflowActions({
  releaseId,
  title,
  transitions,
  blocking,
  hasUnsavedChanges,
  canShare,
  onShare,
  onShowProblems,
  onImport,
}: WorkflowActionsProps) {
  const api = useApi();
  const transition = useApiMutation(
    (typed, to: StatusTransition) => typed.releases.transition(releaseId, { transition: to }),
    () => staleAfter.statusChanged(releaseId),
  );
  const pending = transition.isPending ? transition.variables : null;
  const reasonId = useId();

  /** A refusal for blocking problems (submitting, a DDEX export) offers to show them. */
  const showError = (prefix: string, error: unknown) => {
    if (error instanceof ApiError && error.status === 422 && Array.isArray(error.details)) {
      toast.error(`${prefix}${error.message} (${error.details.length} blocking)`, {
        action: { label: 'Show', onClick: onShowProblems },
      });
    } else {
      toast.error(`${prefix}${errorMessage(error)}`);
    }
  };

  const run = (to: StatusTransition) =>
    transition.mutate(to, {
      onSuccess: () => toast.success(DONE_MESSAGES[to]),
      onError: (error) => showError('', error),
    });

  /** `layout`: a distributor's CSV template instead of our own columns. */
  const download = async (extension: 'json' | 'csv' | 'ddex.xml', layout?: DistributorLayoutId) => {
    try {
      const query = layout ? `?layout=${layout}` : '';
      const blob = await api.download(`/releases/${releaseId}/export.${extension}${query}`);
      saveBlob(blob, releaseFileName(title, releaseId, layout ? `${layout}.${extension}` : extension));
    } catch (error) {
      showError('Export failed: ', error);
    }
  };

  const submitReason =
    blocking.length > 0
      ? `Fix ${blocking.length} blocking ${blocking.length === 1 ? 'problem' : 'problems'} to submit`
      : hasUnsavedChanges
        ? 'Waiting for your changes to be saved'
        : null;

  return (
    <div className="flex flex-wrap items-center gap-2">
      {transitions.map((transition) => {
        const isSubmit = transition === 'submit';
        const isBlocked = isSubmit && submitReason !== null;
        return (
          <Button
            key={transition}
            size="sm"
            variant={isSubmit || transition === 'approve' || transition === 'deliver' ? 'default' : 'outline'}
            data-testid={`transition-${transition}`}
            disabled={pending !== null || isBlocked}
            aria-describedby={isBlocked ? reasonId : undefined}
            onClick={() => void run(transition)}
          >
            {pending === transition ? 'Working…' : TRANSITION_LABELS[transition]}
          </Button>
        );
      })}
      {transitions.includes('submit') && submitReason ? (
        <button
          type="button"
          id={reasonId}
          data-testid="submit-blocked-reason"
          onClick={onShowProblems}
          className="text-xs text-muted-foreground underline-offset-2 hover:underline"
        >
          {submitReason}
        </button>
      ) : null}
      {canShare ? (
        <Button size="sm" variant="outline" onClick={onShare} data-testid="share-button">
          <Share2Icon aria-hidden /> Share
        </Button>
      ) : null}
      {onImport ? (
        <Button size="sm" variant="outline" onClick={onImport} data-testid="import-button">
          <UploadIcon aria-hidden /> Import
        </Button>
      ) : null}
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button size="sm" variant="outline" data-testid="export-menu">
            <DownloadIcon aria-hidden /> Export
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem data-testid="export-json" onSelect={() => void download('json')}>
            Export JSON
          </DropdownMenuItem>
          <DropdownMenuItem data-testid="export-csv" onSelect={() => void download('csv')}>
            Export CSV
          </DropdownMenuItem>
          {DISTRIBUTOR_LAYOUT_IDS.map((layout) => (
            <DropdownMenuItem
              key={layout}
              data-testid={`export-csv-${layout}`}
              onSelect={() => void download('csv', layout)}
            >
              {DISTRIBUTOR_LAYOUTS[layout].label}
            </DropdownMenuItem>
          ))}
          <DropdownMenuItem data-testid="export-ddex" onSelect={() => void download('ddex.xml')}>
            DDEX ERN 4.3 (XML)
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}
