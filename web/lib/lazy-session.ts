import type { CognitoAccounts } from './cognito-accounts';
import type { RuntimeConfig } from './runtime-config';
import type { CognitoSession, SessionSnapshot, SignInResult, TotpSetup } from './session';

type Listener = () => void;
type SessionConfig = Pick<RuntimeConfig, 'userPoolId' | 'clientId' | 'cognitoEndpoint' | 'authFlow'>;

const LOADING: SessionSnapshot = { status: 'loading', user: null };

/** What pages call on the session; every call waits for the session module if need be. */
export type AccountActions = Pick<
  CognitoAccounts,
  'signUp' | 'confirmSignUp' | 'resendConfirmationCode' | 'forgotPassword' | 'resetPassword'
>;

/** The signed-in account's authenticator-app (TOTP) settings, for the account page. */
export interface TotpActions {
  isEnabled(): Promise<boolean>;
  startSetup(): Promise<TotpSetup>;
  finishSetup(code: string): Promise<void>;
  disable(): Promise<void>;
}

/**
 * The page's `CognitoSession`, with amazon-cognito-identity-js (its SRP maths and Buffer
 * polyfill come along) loaded after the page has rendered instead of in every route's first
 * load. Until it is there the status is `loading`, which pages show anyway while the stored
 * session is read; calls made meanwhile wait for it.
 */
export class LazySession {
  private readonly listeners = new Set<Listener>();
  private session: CognitoSession | null = null;
  private loading: Promise<CognitoSession> | null = null;
  private unsubscribe: (() => void) | null = null;
  private isDisposed = false;
  readonly accounts: AccountActions;
  readonly totp: TotpActions;

  constructor(private readonly config: SessionConfig) {
    const accounts = async () => (await this.load()).accounts;
    this.accounts = {
      signUp: async (input) => (await accounts()).signUp(input),
      confirmSignUp: async (email, code) => (await accounts()).confirmSignUp(email, code),
      resendConfirmationCode: async (email) => (await accounts()).resendConfirmationCode(email),
      forgotPassword: async (email) => (await accounts()).forgotPassword(email),
      resetPassword: async (email, code, password) => (await accounts()).resetPassword(email, code, password),
    };
    this.totp = {
      isEnabled: async () => (await this.load()).isTotpEnabled(),
      startSetup: async () => (await this.load()).startTotpSetup(),
      finishSetup: async (code) => (await this.load()).finishTotpSetup(code),
      disable: async () => (await this.load()).disableTotp(),
    };
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.session?.getSnapshot() ?? LOADING;

  /** Loads the session module and reads the stored session (`loading` becomes one of the others). */
  async restore(): Promise<void> {
    await (await this.load()).restore();
  }

  getIdToken = async (): Promise<string> => (await this.load()).getIdToken();

  refreshIdToken = async (): Promise<string> => (await this.load()).refreshIdToken();

  signIn = async (email: string, password: string): Promise<SignInResult> =>
    (await this.load()).signIn(email, password);

  answerTotp = async (code: string): Promise<void> => (await this.load()).answerTotp(code);

  signOut = async (): Promise<void> => (await this.load()).signOut();

  dispose(): void {
    this.isDisposed = true;
    this.unsubscribe?.();
    this.session?.dispose();
    this.listeners.clear();
  }

  private load(): Promise<CognitoSession> {
    this.loading ??= import('./session').then(({ CognitoSession }) => {
      const session = new CognitoSession(this.config);
      this.session = session;
      if (!this.isDisposed) this.unsubscribe = session.subscribe(() => this.notify());
      this.notify();
      return session;
    });
    return this.loading;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
