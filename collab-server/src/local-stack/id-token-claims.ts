import type { Triggers } from 'cognito-local/lib/services/index.js';

type Attribute = { Name: string; Value?: string };

/** Claims cognito-local sets itself (or must never be overridden): left alone. */
const CLAIMS_SET_BY_COGNITO_LOCAL = new Set(['sub', 'email', 'phone_number_verified']);

const notConfigured = async (): Promise<never> => {
  throw new Error('the local stack configures no Cognito Lambda triggers');
};

/** Marks a user's email as verified (cognito-local's user pool service, from the stack). */
export type MarkEmailVerified = (userPoolId: string, username: string) => Promise<void>;

/**
 * cognito-local's triggers, reduced to two built-in steps that make it behave as Amazon Cognito
 * does for a pool that verifies email at sign-up:
 * - pre-token generation copies the user's standard attributes (`name`, `given_name`,
 *   `phone_number`, …) into the ID token (cognito-local only adds `email` and `custom:*`, so the
 *   handlers would see no `name`), and states `email_verified` from the attribute as a boolean
 *   (cognito-local turns the string "false" into true);
 * - post-confirmation sets `email_verified`, which Cognito does when the emailed code confirms a
 *   sign-up and cognito-local does not.
 * Every other trigger stays disabled, which also keeps the AWS SDK v2 Lambda client cognito-local
 * would otherwise build out of this process.
 */
export function createLocalTriggers(markEmailVerified: MarkEmailVerified): Triggers {
  return {
    enabled: (trigger) => trigger === 'PreTokenGeneration' || trigger === 'PostConfirmation',
    preTokenGeneration: async (_ctx, { userAttributes }) => ({
      claimsOverrideDetails: { claimsToAddOrOverride: standardClaims(userAttributes as Attribute[]) },
    }),
    postConfirmation: async (_ctx, { userPoolId, username }) => markEmailVerified(userPoolId, username),
    customMessage: notConfigured,
    customEmailSender: notConfigured,
    postAuthentication: notConfigured,
    preSignUp: notConfigured,
    userMigration: notConfigured,
  };
}

function standardClaims(attributes: readonly Attribute[]): Record<string, string> {
  const claims: Record<string, string | boolean> = {};
  for (const { Name, Value } of attributes) {
    if (Value === undefined || Name.startsWith('custom:') || CLAIMS_SET_BY_COGNITO_LOCAL.has(Name)) continue;
    claims[Name] = Name === 'email_verified' ? Value === 'true' : Value;
  }
  // Cognito's ID tokens carry `email_verified` as a boolean; cognito-local's typing says string.
  return claims as Record<string, string>;
}
