/** The tokens one tab holds, enough for another tab of the same browser to carry on with. */
export interface TabTokens {
  username: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds this device's clock is ahead of Cognito's (amazon-cognito-identity-js's measure). */
  clockDrift: number;
}

type TabMessage = { type: 'ask' } | { type: 'offer'; tokens: TabTokens } | { type: 'signed-out' };

/**
 * How long a new tab waits for an open one to hand it the session. Where the Web Locks API
 * exists (every current browser), a tab asks only when a signed-in tab holds the lock, so this
 * bounds only a tab that holds it and does not answer; elsewhere (Node) it is the whole wait.
 */
export const HANDOFF_WAIT_MS = 3_000;

const CHANNEL_NAME = 'patchline-session';
/** Held (shared) by every signed-in tab for as long as it is signed in. */
const LOCK_NAME = 'patchline-signed-in-tab';

/** The part of the Web Locks API used here (absent in Node). */
interface TabLocks {
  request(name: string, options: { mode: 'shared' }, callback: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}
const tabLocks = (): TabLocks | null =>
  (globalThis.navigator as { locks?: TabLocks } | undefined)?.locks ?? null;

export interface SessionTabsHandlers {
  /** Another tab asks for the session: this tab's tokens, or null when it has none. */
  tokens(): TabTokens | null;
  /** Another tab signed out (and revoked the refresh token every tab shares). */
  onSignedOut(): void;
}

/**
 * Tokens live in each tab's sessionStorage (gone when the browser closes), so a tab opened later
 * asks the open ones for the session over a BroadcastChannel, which only pages of the same
 * origin can join (they could read sessionStorage anyway); a Web Lock held by each signed-in tab
 * tells it whether anyone can answer, so a browser without a signed-in tab shows sign-in at once. Sign-out reaches every tab the same
 * way: they share one refresh token, which sign-out revokes.
 */
export class SessionTabs {
  private readonly channel: BroadcastChannel | null;
  private readonly waiting = new Set<(tokens: TabTokens | null) => void>();
  /** Releases this tab's hold on `LOCK_NAME`, while it holds it. */
  private releaseLock: (() => void) | null = null;

  constructor(private readonly handlers: SessionTabsHandlers) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
    this.channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => this.receive(event.data));
  }

  /**
   * The session of another open tab: null at once when no tab is signed in (no one holds the
   * lock), else the first answer, or null after `waitMs` without one.
   */
  async askOpenTabs(waitMs = HANDOFF_WAIT_MS): Promise<TabTokens | null> {
    const channel = this.channel;
    if (!channel) return null;
    const locks = tabLocks();
    if (locks) {
      const { held = [] } = await locks.query();
      if (!held.some((lock) => lock.name === LOCK_NAME)) return null;
    }
    return new Promise((resolve) => {
      // Silence is the only answer when no tab is open: a timeout is the one way to hear it.
      const timer = setTimeout(() => settle(null), waitMs);
      const settle = (tokens: TabTokens | null) => {
        clearTimeout(timer);
        this.waiting.delete(settle);
        resolve(tokens);
      };
      this.waiting.add(settle);
      channel.postMessage({ type: 'ask' } satisfies TabMessage);
    });
  }

  /** While signed in, this tab holds the lock that tells new tabs someone can answer. */
  setSignedIn(isSignedIn: boolean): void {
    const locks = tabLocks();
    if (!locks || isSignedIn === (this.releaseLock !== null)) return;
    if (!isSignedIn) {
      this.releaseLock?.();
      this.releaseLock = null;
      return;
    }
    const held = new Promise<void>((resolve) => {
      this.releaseLock = resolve;
    });
    void locks.request(LOCK_NAME, { mode: 'shared' }, () => held);
  }

  announceSignOut(): void {
    this.channel?.postMessage({ type: 'signed-out' } satisfies TabMessage);
  }

  close(): void {
    this.setSignedIn(false);
    this.channel?.close();
    for (const settle of this.waiting) settle(null);
  }

  private receive(message: TabMessage): void {
    if (message?.type === 'ask') {
      const tokens = this.handlers.tokens();
      if (tokens) this.channel?.postMessage({ type: 'offer', tokens } satisfies TabMessage);
    } else if (message?.type === 'offer' && isTabTokens(message.tokens)) {
      for (const settle of this.waiting) settle(message.tokens);
    } else if (message?.type === 'signed-out') {
      this.handlers.onSignedOut();
    }
  }
}

function isTabTokens(value: unknown): value is TabTokens {
  const tokens = value as Partial<TabTokens> | null;
  return (
    typeof tokens?.username === 'string' &&
    typeof tokens.idToken === 'string' &&
    typeof tokens.accessToken === 'string' &&
    typeof tokens.refreshToken === 'string' &&
    typeof tokens.clockDrift === 'number'
  );
}
