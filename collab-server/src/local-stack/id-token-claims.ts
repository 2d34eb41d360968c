import type { Triggers } from 'cognito-local/lib/services/index.js';

type Attribute = { Name: string; Value?: string };

/** Claims cognito-local sets itself (or must never be overridden): left alone. */
const CLAIMS_SET_BY_COGNITO_LOCAL = new Set(['sub', 'email', 'email_verified', 'phone_number_verified']);

const notConfigured = async (): Promise<never> => {
  throw new Error('the local stack configures no Cognito Lambda triggers');
};

/**
 * cognito-local's triggers, reduced to one: a built-in pre-token-generation step that copies the
 * user's standard attributes (`name`, `given_name`, `phone_number`, …) into the ID token.
 * Amazon Cognito puts them there itself; cognito-local only adds `email` and `custom:*`, so
 * without this the handlers would see no `name` locally and show people by email prefix.
 * Every other trigger stays disabled, which also keeps the AWS SDK v2 Lambda client cognito-local
 * would otherwise build out of this process.
 */
export function createLocalTriggers(): Triggers {
  return {
    enabled: (trigger) => trigger === 'PreTokenGeneration',
    preTokenGeneration: async (_ctx, { userAttributes }) => ({
      claimsOverrideDetails: { claimsToAddOrOverride: standardClaims(userAttributes as Attribute[]) },
    }),
    customMessage: notConfigured,
    customEmailSender: notConfigured,
    postAuthentication: notConfigured,
    postConfirmation: notConfigured,
    preSignUp: notConfigured,
    userMigration: notConfigured,
  };
}

function standardClaims(attributes: readonly Attribute[]): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const { Name, Value } of attributes) {
    if (Value === undefined || Name.startsWith('custom:') || CLAIMS_SET_BY_COGNITO_LOCAL.has(Name)) continue;
    claims[Name] = Value;
  }
  return claims;
}
