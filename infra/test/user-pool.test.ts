import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PatchlineUserPool, REFRESH_TOKEN_DAYS } from '../lib/constructs/user-pool.js';
import { emptyStack, logicalIdOf } from './support/patchline-app.js';
import { render } from './support/template-queries.js';

function poolTemplate(retain: boolean) {
  const stack = emptyStack();
  const identity = new PatchlineUserPool(stack, 'Identity', { stage: retain ? 'prod' : 'dev', retain });
  return { stack, identity, template: Template.fromStack(stack) };
}

describe(PatchlineUserPool.name, () => {
  const { stack, identity, template } = poolTemplate(false);

  it('signs in with a verified email, recovers by email and enforces a strong password', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'patchline-dev',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE' }),
    });
  });

  it('gives the web a public client with SRP only (no password sent), revocable tokens and no secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      // Exactly these: no USER_PASSWORD_AUTH (local cognito-local only), no admin or custom flows.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      RefreshTokenValidity: REFRESH_TOKEN_DAYS * 24 * 60,
    });
  });

  it('offers TOTP as an optional second factor, and no SMS', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('creates the admins and managers groups in the pool', () => {
    const poolId = logicalIdOf(identity.userPool, stack);
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 2);
    for (const name of ['admins', 'managers']) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: name,
        UserPoolId: { Ref: poolId },
      });
    }
  });

  it('can be deleted outside prod', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  it('is retained with deletion protection in prod', () => {
    poolTemplate(true).template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('exposes the issuer the JWT authorizer checks', () => {
    const poolId = logicalIdOf(identity.userPool, stack);
    // ProviderURL is `cognito-idp.{region}.amazonaws.com/{poolId}`, the `iss` of the pool's tokens.
    expect(render(stack.resolve(identity.issuerUrl))).toBe(`https://\${${poolId}.ProviderURL}`);
  });
});
