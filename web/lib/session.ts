import {
  AuthenticationDetails,
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { AuthError, SessionExpiredError, toAuthError } from './auth-errors';
import { CognitoAccounts, normalizeEmail } from './cognito-accounts';
import type { RuntimeConfig } from './runtime-config';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out' | 'expired';

/** Who is signed in, from the claims of the Cognito ID token. */
export interface SessionUser {
  sub: string;
  email: string;
  name: string;
  /** `cognito:groups`: `admins`, `managers`. */
  groups: string[];
}

export interface SessionSnapshot {
  status: SessionStatus;
  /** Kept while `expired`, so the page can offer to sign the same person in again. */
  user: SessionUser | null;
}

/**
 * Refresh this long before the ID token expires. Cognito ID tokens last 60 minutes (the local
 * pool is configured the same way), and a WebSocket (re)connect must never carry a token that
 * dies mid-handshake, so five minutes leaves room for a slow network and clock skew.
 */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** After a refresh failed for a reason other than a refused token (offline), try again this soon. */
export const REFRESH_RETRY_MS = 30 * 1000;

export interface SessionOptions {
  /** Token storage; amazon-cognito-identity-js defaults to `localStorage` (memory on the server). */
  storage?: ICognitoStorage;
  now?: () => number;
}

type Listener = () => void;

const LOADING: SessionSnapshot = { status: 'loading', user: null };

/**
 * The browser's Cognito session, framework-free (`components/session-provider.tsx` binds it to
 * React with `useSyncExternalStore`). Tokens live where amazon-cognito-identity-js keeps them, so
 * a reload restores the session; a timer refreshes the ID token `REFRESH_MARGIN_MS` before it
 * expires, and `getIdToken()` refreshes on demand too (a sleeping laptop misses timers).
 */
export class CognitoSession {
  private readonly pool: CognitoUserPool;
  /** Sign-up, confirmation and password reset: they need the pool, not a session. */
  readonly accounts: CognitoAccounts;
  private readonly storage: ICognitoStorage | undefined;
  private readonly authFlow: RuntimeConfig['authFlow'];
  private readonly now: () => number;
  private readonly listeners = new Set<Listener>();
  private snapshot: SessionSnapshot = LOADING;
  private cognitoUser: CognitoUser | null = null;
  private session: CognitoUserSession | null = null;
  private refreshing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    config: Pick<RuntimeConfig, 'userPoolId' | 'clientId' | 'cognitoEndpoint' | 'authFlow'>,
    options: SessionOptions = {},
  ) {
    this.storage = options.storage ?? browserStorage();
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.clientId,
      endpoint: config.cognitoEndpoint ?? undefined,
      ...(this.storage ? { Storage: this.storage } : {}),
    });
    this.accounts = new CognitoAccounts(this.pool);
    this.authFlow = config.authFlow;
    this.now = options.now ?? Date.now;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Reads the stored session (refreshing it if needed): `loading` becomes one of the others. */
  async restore(): Promise<void> {
    const user = this.pool.getCurrentUser();
    if (!user) return this.set({ status: 'signed-out', user: null });
    this.cognitoUser = user;
    try {
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.getSession((error: Error | null, value: CognitoUserSession | null) =>
          error || !value ? reject(error ?? new Error('no session')) : resolve(value),
        ),
      );
      this.accept(session);
    } catch (error) {
      const authError = toAuthError(error);
      if (authError.isRejection) {
        // A refresh token refused on page load: nothing on this page can be lost yet, so this is
        // a plain sign-out and the guard sends the user to /sign-in?next=… .
        user.signOut();
        this.cognitoUser = null;
        this.set({ status: 'signed-out', user: null });
      } else {
        // Offline at load: keep who it was (the editor works offline) with the stored, stale
        // tokens; `getIdToken()` and the retry timer refresh them once the network is back.
        this.session = this.storedSession(user);
        this.set({ status: 'signed-in', user: this.session ? userFrom(this.session) : null });
        this.schedule(REFRESH_RETRY_MS);
      }
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    // A CognitoUser keeps its own storage reference (it does not inherit the pool's).
    const user = new CognitoUser({
      Username: normalizeEmail(email),
      Pool: this.pool,
      ...(this.storage ? { Storage: this.storage } : {}),
    });
    user.setAuthenticationFlowType(this.authFlow);
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(
        new AuthenticationDetails({ Username: normalizeEmail(email), Password: password }),
        {
          onSuccess: resolve,
          // cognito-local answers a wrong password with InvalidPasswordException, Cognito with
          // NotAuthorizedException; here both mean the same thing.
          onFailure: (error) =>
            reject(toAuthError(error, { InvalidPasswordException: 'Incorrect email or password.' })),
          newPasswordRequired: () =>
            reject(
              new AuthError(
                'NewPasswordRequired',
                'This account needs a new password: use “Forgot password”.',
              ),
            ),
          mfaRequired: () =>
            reject(new AuthError('MfaRequired', 'Multi-factor sign-in is not supported yet.')),
          totpRequired: () =>
            reject(new AuthError('MfaRequired', 'Multi-factor sign-in is not supported yet.')),
        },
      ),
    );
    this.cognitoUser = user;
    this.accept(session);
  }

  /** Forgets the tokens on this device (no global sign-out: other devices stay signed in). */
  signOut(): void {
    clearTimeout(this.timer);
    (this.cognitoUser ?? this.pool.getCurrentUser())?.signOut();
    this.cognitoUser = null;
    this.session = null;
    this.set({ status: 'signed-out', user: null });
  }

  /**
   * A valid ID token for `Authorization: Bearer` and the WebSocket `token` parameter; refreshed
   * first when it has less than `REFRESH_MARGIN_MS` left. Throws `SessionExpiredError` (and the
   * status becomes `expired`) when Cognito refuses the refresh token.
   */
  async getIdToken(): Promise<string> {
    if (this.snapshot.status === 'expired') throw new SessionExpiredError();
    if (!this.cognitoUser) throw new SessionExpiredError('You are not signed in.');
    if (this.session && this.msLeft(this.session) > REFRESH_MARGIN_MS) {
      return this.session.getIdToken().getJwtToken();
    }
    return this.refresh();
  }

  /** Another tab signed out (its `storage` event): follow it rather than keep using stale tokens. */
  syncWithStorage(): void {
    if (this.snapshot.status === 'signed-in' && !this.pool.getCurrentUser()) {
      clearTimeout(this.timer);
      this.cognitoUser = null;
      this.session = null;
      this.set({ status: 'signed-out', user: null });
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  private refresh(): Promise<string> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<string> {
    const user = this.cognitoUser;
    const refreshToken = (
      this.session ??
      user?.getSignInUserSession() ??
      (user ? this.storedSession(user) : null)
    )?.getRefreshToken();
    if (!user || !refreshToken) throw this.expire();
    try {
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.refreshSession(refreshToken, (error: unknown, value: CognitoUserSession | null) =>
          error || !value ? reject(error ?? new Error('no session')) : resolve(value),
        ),
      );
      this.accept(session);
      return session.getIdToken().getJwtToken();
    } catch (error) {
      const authError = toAuthError(error);
      if (authError.isRejection) throw this.expire();
      this.schedule(REFRESH_RETRY_MS);
      throw authError;
    }
  }

  private expire(): SessionExpiredError {
    clearTimeout(this.timer);
    this.set({ status: 'expired', user: this.snapshot.user });
    return new SessionExpiredError();
  }

  private accept(session: CognitoUserSession): void {
    this.session = session;
    this.set({ status: 'signed-in', user: userFrom(session) });
    this.schedule(Math.max(0, this.msLeft(session) - REFRESH_MARGIN_MS));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    // A failed timed refresh is reported through the status; nobody awaits the timer.
    this.timer = setTimeout(() => this.refresh().catch(() => undefined), delayMs);
  }

  private msLeft(session: CognitoUserSession): number {
    return session.getIdToken().getExpiration() * 1000 - this.now();
  }

  private set(snapshot: SessionSnapshot): void {
    const previous = this.snapshot;
    if (previous.status === snapshot.status && sameUser(previous.user, snapshot.user)) return;
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }

  /** The tokens amazon-cognito-identity-js keeps for `user`, even expired ones. */
  private storedSession(user: CognitoUser): CognitoUserSession | null {
    const prefix = `CognitoIdentityServiceProvider.${this.pool.getClientId()}.${user.getUsername()}`;
    const read = (key: string) => this.storage?.getItem(`${prefix}.${key}`) ?? null;
    const [idToken, accessToken, refreshToken] = [read('idToken'), read('accessToken'), read('refreshToken')];
    if (!idToken || !accessToken || !refreshToken) return null;
    return new CognitoUserSession({
      IdToken: new CognitoIdToken({ IdToken: idToken }),
      AccessToken: new CognitoAccessToken({ AccessToken: accessToken }),
      RefreshToken: new CognitoRefreshToken({ RefreshToken: refreshToken }),
    });
  }
}

function browserStorage(): ICognitoStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    // Storage disabled (some private modes): the library falls back to memory.
    return undefined;
  }
}

function userFrom(session: CognitoUserSession): SessionUser {
  const claims = session.getIdToken().decodePayload() as Record<string, unknown>;
  const email = typeof claims.email === 'string' ? claims.email : '';
  const groups = claims['cognito:groups'];
  return {
    sub: String(claims.sub ?? ''),
    email,
    name: typeof claims.name === 'string' && claims.name ? claims.name : email.split('@')[0] || email,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
  };
}

function sameUser(a: SessionUser | null, b: SessionUser | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.sub === b.sub && a.email === b.email && a.name === b.name && a.groups.join() === b.groups.join();
}
