import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Cognito groups the permissions package keys its role rules by (permissions/src/role-rules.ts). */
export const USER_GROUPS = ['admins', 'managers'] as const;
export type UserGroup = (typeof USER_GROUPS)[number];

/** How long a refresh token lasts; signing in again is needed after that. */
export const REFRESH_TOKEN_DAYS = 1;

export interface PatchlineUserPoolProps {
  readonly stage: string;
  /** Retain on stack deletion and turn on deletion protection (prod). */
  readonly retain: boolean;
}

/**
 * Identity: an email + password user pool with verification and recovery by email and optional
 * TOTP MFA, the web app's public client (SRP only: the password never leaves the browser;
 * `USER_PASSWORD_AUTH` is for the local cognito-local stand-in alone, which has no SRP), and the
 * `admins` and `managers` groups.
 */
export class PatchlineUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly groups: Record<UserGroup, cognito.UserPoolGroup>;

  constructor(scope: Construct, id: string, props: PatchlineUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `patchline-${props.stage}`,
      // Invited collaborators (UX: share by e-mail) create their own account.
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      userVerification: {
        emailSubject: 'Your Patchline verification code',
        emailBody: 'Your Patchline verification code is {####}',
        emailStyle: cognito.VerificationEmailStyle.CODE,
      },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      // Offered on the web app's account page (/account); required would shut out collaborators
      // who were only invited to one release.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP), offered on the account page: invited collaborators must be able to sign up without an authenticator app.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'Essentials tier: Plus threat protection is a per-user cost this project has not taken on.',
    });

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: `patchline-${props.stage}-web`,
      // A browser app cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The web app keeps tokens in sessionStorage and revokes the refresh token on sign-out; this
      // bounds a tab left open, or a token that leaked, to one day.
      refreshTokenValidity: Duration.days(REFRESH_TOKEN_DAYS),
    });

    this.groups = {
      admins: new cognito.UserPoolGroup(this, 'AdminsGroup', {
        userPool: this.userPool,
        groupName: 'admins',
        description: 'Label staff with full control of every release',
        precedence: 0,
      }),
      managers: new cognito.UserPoolGroup(this, 'ManagersGroup', {
        userPool: this.userPool,
        groupName: 'managers',
        description: "Artists' managers: create releases and share them",
        precedence: 10,
      }),
    };
  }

  /** JWT issuer of this pool's tokens, as API Gateway's JWT authorizer expects it. */
  get issuerUrl(): string {
    return `https://${this.userPool.userPoolProviderUrl}`;
  }
}
