import {
  AuthenticationDetails,
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
  type ICognitoStorage,
  type ICognitoUserSessionData,
} from 'amazon-cognito-identity-js';
import { AuthError, SessionExpiredError, toAuthError } from './auth-errors';
import { CognitoAccounts, normalizeEmail } from './cognito-accounts';
import { callCognito } from './cognito-api';
import type { RuntimeConfig } from './runtime-config';
import { SessionTabs, type TabTokens } from './session-tabs';
import { otpauthUri } from './totp';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out' | 'expired';

/** Who is signed in, from the claims of the Cognito ID token. */
export interface SessionUser {
  sub: string;
  email: string;
  name: string;
  /** `cognito:groups`: `admins`, `managers`. */
  groups: string[];
}

/** What a password sign-in led to: done, or the account's authenticator code is needed next. */
export type SignInResult = 'signed-in' | 'totp-required';

/** An authenticator app being added: the secret to type in, or the `otpauth:` URI to scan. */
export interface TotpSetup {
  secret: string;
  uri: string;
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
  /**
   * Token storage: the tab's `sessionStorage` in the browser, so a reload keeps the session and
   * closing the browser ends it (memory on the server).
   */
  storage?: ICognitoStorage;
  /** Hand the session to tabs opened later and follow sign-outs of others (default: in a browser). */
  shareWithTabs?: boolean;
  /** How long `restore()` waits for another tab to answer (`HANDOFF_WAIT_MS`). */
  tabWaitMs?: number;
  now?: () => number;
}

type SessionConfig = Pick<RuntimeConfig, 'userPoolId' | 'clientId' | 'cognitoEndpoint' | 'authFlow'>;

type Listener = () => void;

const LOADING: SessionSnapshot = { status: 'loading', user: null };

/**
 * The browser's Cognito session, framework-free (`components/session-provider.tsx` binds it to
 * React with `useSyncExternalStore`). Tokens live in the tab's sessionStorage (never
 * localStorage), so a reload restores the session and closing the browser ends it; tabs opened
 * later get it from an open one (`SessionTabs`). A timer refreshes the ID token
 * `REFRESH_MARGIN_MS` before it expires, and `getIdToken()` refreshes on demand too (a sleeping
 * laptop misses timers). Sign-out revokes the refresh token at Cognito.
 *
 * Sign-in uses the runtime config's flow: SRP on AWS (the password never leaves the browser),
 * `USER_PASSWORD_AUTH` against cognito-local, which has no SRP (README.md, "The local stack").
 */
export class CognitoSession {
  private readonly pool: CognitoUserPool;
  /** Sign-up, confirmation and password reset: they need the pool, not a session. */
  readonly accounts: CognitoAccounts;
  private readonly config: SessionConfig;
  private readonly storage: ICognitoStorage | undefined;
  private readonly tabs: SessionTabs | null;
  private readonly now: () => number;
  private readonly tabWaitMs: number | undefined;
  /** A password sign-in waiting for the authenticator code (`answerTotp`). */
  private pendingTotp: CognitoUser | null = null;
  private readonly listeners = new Set<Listener>();
  private snapshot: SessionSnapshot = LOADING;
  private cognitoUser: CognitoUser | null = null;
  private session: CognitoUserSession | null = null;
  private refreshing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(config: SessionConfig, options: SessionOptions = {}) {
    this.config = config;
    this.storage = options.storage ?? browserStorage();
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.clientId,
      endpoint: config.cognitoEndpoint ?? undefined,
      ...(this.storage ? { Storage: this.storage } : {}),
    });
    this.accounts = new CognitoAccounts(this.pool);
    this.now = options.now ?? Date.now;
    this.tabWaitMs = options.tabWaitMs;
    this.tabs =
      (options.shareWithTabs ?? typeof window !== 'undefined')
        ? new SessionTabs({ tokens: () => this.tabTokens(), onSignedOut: () => this.forget() })
        : null;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /**
   * Reads this tab's stored session, or asks the other open tabs for theirs (refreshing it if
   * needed): `loading` becomes one of the others.
   */
  async restore(): Promise<void> {
    let user = this.pool.getCurrentUser();
    if (!user && this.tabs) {
      const tokens = await this.tabs.askOpenTabs(this.tabWaitMs);
      // Someone signed in on this page while the other tabs were asked: that session stands.
      if (this.snapshot.status !== 'loading') return;
      if (tokens) {
        this.store(tokens);
        user = this.pool.getCurrentUser();
      }
    }
    if (!user) return this.set({ status: 'signed-out', user: null });
    this.cognitoUser = user;
    try {
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.getSession((error: Error | null, value: CognitoUserSession | null) =>
          error || !value ? reject(error ?? new Error('no session')) : resolve(value),
        ),
      );
      if (this.snapshot.status !== 'loading') return;
      this.accept(session);
    } catch (error) {
      if (this.snapshot.status !== 'loading') return;
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

  /**
   * Signs in with the configured flow; an account with an authenticator app answers
   * `totp-required`, and `answerTotp(code)` finishes the sign-in.
   */
  async signIn(email: string, password: string): Promise<SignInResult> {
    this.pendingTotp = null;
    // A CognitoUser keeps its own storage reference (it does not inherit the pool's).
    const user = new CognitoUser({
      Username: normalizeEmail(email),
      Pool: this.pool,
      ...(this.storage ? { Storage: this.storage } : {}),
    });
    user.setAuthenticationFlowType(this.config.authFlow);
    const outcome = await new Promise<CognitoUserSession | 'totp-required'>((resolve, reject) =>
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
          // The pool offers TOTP only (infra user-pool.ts); an SMS challenge cannot be answered here.
          mfaRequired: () =>
            reject(new AuthError('MfaRequired', 'Sign-in by text message is not supported.')),
          totpRequired: () => resolve('totp-required'),
        },
      ),
    );
    if (outcome === 'totp-required') {
      this.pendingTotp = user;
      return 'totp-required';
    }
    this.cognitoUser = user;
    this.accept(outcome);
    return 'signed-in';
  }

  /** Finishes a `totp-required` sign-in with the 6-digit code of the user's authenticator app. */
  async answerTotp(code: string): Promise<void> {
    const user = this.pendingTotp;
    if (!user) throw new AuthError('NoChallenge', 'Enter your email and password first.');
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.sendMFACode(
        code.trim(),
        {
          onSuccess: resolve,
          onFailure: (error) =>
            reject(
              toAuthError(error, {
                // Cognito's challenge session lasts 3 minutes and ends after failed attempts.
                NotAuthorizedException: 'This sign-in has expired. Enter your password again.',
              }),
            ),
        },
        'SOFTWARE_TOKEN_MFA',
      ),
    );
    this.pendingTotp = null;
    this.cognitoUser = user;
    this.accept(session);
  }

  /**
   * Signs out here and in this browser's other tabs, and revokes the refresh token at Cognito so
   * nobody holding a copy can get new tokens with it. ID tokens already issued stay valid until
   * they expire (60 minutes): the API decides whether to trust them. Resolves once Cognito has
   * answered; being offline leaves the refresh token valid until it expires, and is not an error
   * (the person is signed out here either way).
   */
  async signOut(): Promise<void> {
    const user = this.cognitoUser ?? this.pool.getCurrentUser();
    const refreshToken = (this.session ?? (user ? this.storedSession(user) : null))
      ?.getRefreshToken()
      .getToken();
    this.forget();
    this.tabs?.announceSignOut();
    if (!refreshToken) return;
    await callCognito(this.config, 'RevokeToken', {
      Token: refreshToken,
      ClientId: this.config.clientId,
    }).catch(() => undefined);
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

  /**
   * A new ID token now, whatever the current one's age: for a request the API refused with 401
   * (its view of the person changed, e.g. their groups). Throws `SessionExpiredError` like
   * `getIdToken()`.
   */
  async refreshIdToken(): Promise<string> {
    if (this.snapshot.status === 'expired') throw new SessionExpiredError();
    if (!this.cognitoUser) throw new SessionExpiredError('You are not signed in.');
    return this.refresh();
  }

  /** Whether the signed-in account asks for an authenticator code at sign-in. */
  async isTotpEnabled(): Promise<boolean> {
    const user = await callCognito<{ UserMFASettingList?: string[] }>(this.config, 'GetUser', {
      AccessToken: await this.accessToken(),
    });
    return user.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA') ?? false;
  }

  /** Starts adding an authenticator app: a new secret, not in force until `finishTotpSetup`. */
  async startTotpSetup(): Promise<TotpSetup> {
    const { SecretCode } = await callCognito<{ SecretCode: string }>(this.config, 'AssociateSoftwareToken', {
      AccessToken: await this.accessToken(),
    });
    return {
      secret: SecretCode,
      uri: otpauthUri({ secret: SecretCode, account: this.snapshot.user?.email ?? '' }),
    };
  }

  /** Checks a code from the app against the new secret, then asks for it at every sign-in. */
  async finishTotpSetup(code: string): Promise<void> {
    const AccessToken = await this.accessToken();
    await callCognito(this.config, 'VerifySoftwareToken', {
      AccessToken,
      UserCode: code.trim(),
      FriendlyDeviceName: 'Authenticator app',
    });
    await callCognito(this.config, 'SetUserMFAPreference', {
      AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  }

  /** Stops asking for an authenticator code at sign-in. */
  async disableTotp(): Promise<void> {
    await callCognito(this.config, 'SetUserMFAPreference', {
      AccessToken: await this.accessToken(),
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.tabs?.close();
    this.listeners.clear();
  }

  /** Drops this tab's tokens and state (no call to Cognito). */
  private forget(): void {
    clearTimeout(this.timer);
    (this.cognitoUser ?? this.pool.getCurrentUser())?.signOut();
    this.cognitoUser = null;
    this.session = null;
    this.pendingTotp = null;
    this.set({ status: 'signed-out', user: null });
  }

  /** A current access token (refreshed with the ID token), for Cognito's own user operations. */
  private async accessToken(): Promise<string> {
    await this.getIdToken();
    const session = this.session;
    if (!session) throw new SessionExpiredError('You are not signed in.');
    return session.getAccessToken().getJwtToken();
  }

  /** What another tab needs to carry on with this session, when this tab is signed in. */
  private tabTokens(): TabTokens | null {
    const user = this.cognitoUser;
    const session = this.session;
    if (this.snapshot.status !== 'signed-in' || !user || !session) return null;
    return {
      username: user.getUsername(),
      idToken: session.getIdToken().getJwtToken(),
      accessToken: session.getAccessToken().getJwtToken(),
      refreshToken: session.getRefreshToken().getToken(),
      clockDrift: clockDriftOf(session),
    };
  }

  /** Writes tokens where amazon-cognito-identity-js looks for the current user's session. */
  private store(tokens: TabTokens): void {
    const prefix = `CognitoIdentityServiceProvider.${this.pool.getClientId()}`;
    const userPrefix = `${prefix}.${tokens.username}`;
    this.storage?.setItem(`${userPrefix}.idToken`, tokens.idToken);
    this.storage?.setItem(`${userPrefix}.accessToken`, tokens.accessToken);
    this.storage?.setItem(`${userPrefix}.refreshToken`, tokens.refreshToken);
    this.storage?.setItem(`${userPrefix}.clockDrift`, String(tokens.clockDrift));
    this.storage?.setItem(`${prefix}.LastAuthUser`, tokens.username);
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

  /**
   * Time left on the ID token by Cognito's clock: the session's clock drift (this device's clock
   * minus the token's issue time when it arrived) is taken out, or a device clock an hour off would
   * see every new token as expired and refresh without end.
   */
  private msLeft(session: CognitoUserSession): number {
    return session.getIdToken().getExpiration() * 1000 - (this.now() - clockDriftOf(session) * 1000);
  }

  private set(snapshot: SessionSnapshot): void {
    const previous = this.snapshot;
    if (previous.status === snapshot.status && sameUser(previous.user, snapshot.user)) return;
    this.snapshot = snapshot;
    this.tabs?.setSignedIn(snapshot.status === 'signed-in');
    for (const listener of this.listeners) listener();
  }

  /** The tokens amazon-cognito-identity-js keeps for `user`, even expired ones. */
  private storedSession(user: CognitoUser): CognitoUserSession | null {
    const prefix = `CognitoIdentityServiceProvider.${this.pool.getClientId()}.${user.getUsername()}`;
    const read = (key: string) => this.storage?.getItem(`${prefix}.${key}`) ?? null;
    const [idToken, accessToken, refreshToken] = [read('idToken'), read('accessToken'), read('refreshToken')];
    if (!idToken || !accessToken || !refreshToken) return null;
    const data: ICognitoUserSessionData & { ClockDrift: number } = {
      IdToken: new CognitoIdToken({ IdToken: idToken }),
      AccessToken: new CognitoAccessToken({ AccessToken: accessToken }),
      RefreshToken: new CognitoRefreshToken({ RefreshToken: refreshToken }),
      // The drift measured when the tokens arrived; left out, it would be measured now and make
      // stale tokens look new.
      ClockDrift: Number(read('clockDrift')) || 0,
    };
    return new CognitoUserSession(data);
  }
}

function browserStorage(): ICognitoStorage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    // Storage disabled (some private modes): the library falls back to memory.
    return undefined;
  }
}

/**
 * Seconds this device's clock runs ahead of Cognito's, as amazon-cognito-identity-js measured it
 * when the session's tokens arrived (its typings leave the method out).
 */
function clockDriftOf(session: CognitoUserSession): number {
  return (session as unknown as { getClockDrift(): number }).getClockDrift();
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
