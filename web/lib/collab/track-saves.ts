import type { ReleaseConnection } from '@patchline/shared/client';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { SaveTracker } from './save-tracker';

type Provider = ReleaseConnection['provider'];

// y-protocols message type of sync messages (y-websocket's `messageSync`).
const MESSAGE_SYNC = 0;
/** Quiet time after the last local edit before asking the server what it has. */
const CHECK_DELAY_MS = 600;
/** Retry while changes stay unsaved: the server may still be storing them. */
const RECHECK_DELAYS_MS = [1_500, 3_000, 6_000, 10_000] as const;

/**
 * Feeds a `SaveTracker` from one provider's incoming sync messages and, while local changes are
 * unsaved, sends the server a sync step 1 now and then. The server answers with its step 2 and
 * step 1 (what it has), and the provider answers that step 1 with whatever the server still
 * lacks, so a lost update is re-sent as a side effect. Returns a function that undoes all this.
 */
export function trackSaves(
  provider: Provider,
  doc: Y.Doc,
  onChange: (hasUnsavedChanges: boolean) => void,
): () => void {
  const tracker = new SaveTracker(doc);
  let last: boolean | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;

  const report = () => {
    const now = tracker.hasUnsavedChanges();
    if (now !== last) {
      last = now;
      onChange(now);
    }
    return now;
  };

  const schedule = (delay: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, delay);
  };

  function check() {
    timer = null;
    if (!report()) {
      attempt = 0;
      return;
    }
    const ws = provider.ws;
    if (provider.wsconnected && ws && ws.readyState === ws.OPEN) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, doc);
      ws.send(encoding.toUint8Array(encoder));
    }
    schedule(RECHECK_DELAYS_MS[Math.min(attempt++, RECHECK_DELAYS_MS.length - 1)]!);
  }

  const original = provider.messageHandlers[MESSAGE_SYNC]!;
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
    try {
      const peek = decoding.clone(decoder);
      const kind = decoding.readVarUint(peek);
      const payload = decoding.readVarUint8Array(peek);
      if (kind === syncProtocol.messageYjsSyncStep1) tracker.noteServerStateVector(payload);
      else tracker.noteServerUpdate(payload);
    } catch {
      // Not ours to judge: the provider's own handler reports malformed messages.
    }
    original(encoder, decoder, p, emitSynced, messageType);
    // Content from the server can show that this document holds something the server is not
    // known to have (e.g. a deletion it made as part of another edit, not in any delete set we
    // heard): ask the server what it has rather than stay "Saving…" until the next local edit.
    if (report() && timer === null) schedule(CHECK_DELAY_MS);
  };

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    report();
    attempt = 0;
    schedule(CHECK_DELAY_MS);
  };
  doc.on('update', onUpdate);
  // What the server has only grows, so a dropped connection keeps the tracker's knowledge.
  report();

  return () => {
    if (timer) clearTimeout(timer);
    doc.off('update', onUpdate);
    provider.messageHandlers[MESSAGE_SYNC] = original;
  };
}
