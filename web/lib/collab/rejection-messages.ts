import type { ControlMessage } from '@patchline/shared';

type Rejected = Extract<ControlMessage, { type: 'rejected' }>;
type ErrorControl = Extract<ControlMessage, { type: 'error' }>;

/**
 * The server's limits on one edit and on a whole release (PROTOCOL.md, "Limits":
 * `maxUpdateBytes`, `maxDocumentBytes`). Only used to word the messages below; the server
 * enforces them.
 */
export const MAX_EDIT_BYTES = 368_640;
export const MAX_RELEASE_BYTES = 1_572_864;

/** "360 KB", "1.5 MB": sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

export interface Notice {
  title: string;
  description: string;
}

const RELOADED = 'The sheet was reloaded from the server, so that edit is gone.';
const NOT_SAVED = 'Your last edit was not saved';

/**
 * What to tell the person when the server refused their edit (a `rejected` control message,
 * PROTOCOL.md, "Refusals"), in plain words. `describeField` names a field path
 * (`release.upc` → "Release · UPC / EAN"); unknown reasons fall back to the server's message.
 */
export function describeRejection(
  message: Pick<Rejected, 'reason' | 'fields' | 'message'>,
  describeField: (path: string) => string = (path) => path,
): Notice {
  const notice = (title: string, sentence: string): Notice => ({
    title,
    description: `${sentence} ${RELOADED}`,
  });
  switch (message.reason) {
    case 'read-only':
      return notice(
        NOT_SAVED,
        'You cannot edit this release right now: your role or its status allows viewing only.',
      );
    case 'forbidden-field': {
      const names = [...new Set(message.fields.map(describeField))];
      return notice(
        NOT_SAVED,
        names.length > 0
          ? `Your role cannot change ${listOf(names)}.`
          : 'It changed something your role cannot change.',
      );
    }
    case 'invalid-value':
      return notice(
        NOT_SAVED,
        'It did not fit the release sheet (a value of the wrong kind or an unknown field).',
      );
    case 'undecodable-update':
      return notice(NOT_SAVED, 'The server could not read it.');
    case 'foreign-client-id':
    case 'clock-claim':
      return notice(NOT_SAVED, "This page's copy of the sheet got out of step with the server.");
    case 'update-too-large':
      return notice(
        'This paste is too large to save',
        `One edit can be at most ${formatSize(MAX_EDIT_BYTES)}. Paste it in smaller parts.`,
      );
    case 'document-too-large':
      return notice(
        'This release is full',
        `A release can hold at most ${formatSize(MAX_RELEASE_BYTES)}. Shorten the notes or remove tracks before adding more.`,
      );
    default:
      return notice(NOT_SAVED, message.message || 'The server refused it.');
  }
}

/** An `error` control message worth telling the person about, or null (PROTOCOL.md, "Limits per person"). */
export function describeConnectionError(message: Pick<ErrorControl, 'code'>): Notice | null {
  switch (message.code) {
    case 'too-many-refusals':
      return {
        title: 'Too many edits were refused',
        description:
          'The server closed the connection after refusing many of your edits in a minute. It reconnects by itself; reload the page if the sheet stays out of date.',
      };
    case 'too-many-connections':
      return {
        title: 'Open in too many tabs',
        description:
          'You have this release (or many releases) open in more tabs or windows than allowed, so this one stopped. It connects again when you come back to it; your changes are kept on this device.',
      };
    case 'too-many-messages':
      return {
        title: 'Too many changes at once',
        description:
          'The server closed the connection after more messages a second than it accepts. It reconnects by itself and sends what was not saved.',
      };
    case 'too-many-pending-chunks':
      return {
        title: 'A large change could not be sent',
        description:
          'Too much was being sent at once. It is sent again when the connection syncs; reload the page if it does not save.',
      };
    default:
      return null;
  }
}

/** "A", "A and B", "A, B and C". */
function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
