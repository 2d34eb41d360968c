import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WEB_BUILD_SPEC, WebHosting } from '../lib/constructs/web-hosting.js';
import { emptyStack, logicalIdOf } from './support/patchline-app.js';
import { render } from './support/template-queries.js';

const publicConfig = {
  apiUrl: 'https://api.example.com/',
  websocketUrl: 'wss://ws.example.com/dev',
  userPoolId: 'us-east-1_example',
  userPoolClientId: 'exampleclientid',
  region: 'us-east-1',
};

function hostingTemplate(isProd: boolean) {
  const stack = emptyStack();
  const web = new WebHosting(stack, 'Web', {
    stageName: isProd ? 'prod' : 'dev',
    isProd,
    repositoryUrl: 'https://github.com/example/patchline',
    accessTokenSecretName: 'patchline/amplify-github-token',
    branch: 'release/main',
    publicConfig,
  });
  return { stack, web, template: Template.fromStack(stack) };
}

describe(WebHosting.name, () => {
  const { stack, web, template } = hostingTemplate(false);

  it('hosts the Next.js app with SSR (WEB_COMPUTE) from the repository', () => {
    template.hasResourceProperties('AWS::Amplify::App', {
      Name: 'patchline-dev-web',
      Platform: 'WEB_COMPUTE',
      Repository: 'https://github.com/example/patchline',
      BuildSpec: WEB_BUILD_SPEC,
    });
  });

  it('reads the access token from Secrets Manager at deploy time, never into the template', () => {
    template.hasResourceProperties('AWS::Amplify::App', {
      AccessToken: '{{resolve:secretsmanager:patchline/amplify-github-token:SecretString:::}}',
    });
  });

  it('injects the monorepo app root on the app and the public configuration as PATCHLINE_* on the branch', () => {
    template.hasResourceProperties('AWS::Amplify::App', {
      EnvironmentVariables: [{ Name: 'AMPLIFY_MONOREPO_APP_ROOT', Value: 'web' }],
    });
    // The app itself names nothing of the API: the API's CORS names the app (no cycle).
    template.hasResourceProperties('AWS::Amplify::Branch', {
      EnvironmentVariables: [
        { Name: 'PATCHLINE_API_URL', Value: publicConfig.apiUrl },
        { Name: 'PATCHLINE_WEBSOCKET_URL', Value: publicConfig.websocketUrl },
        { Name: 'PATCHLINE_USER_POOL_ID', Value: publicConfig.userPoolId },
        { Name: 'PATCHLINE_CLIENT_ID', Value: publicConfig.userPoolClientId },
        { Name: 'PATCHLINE_REGION', Value: publicConfig.region },
      ],
    });
  });

  it('builds the web workspace from the monorepo root, with appRoot matching the env variable', () => {
    expect(WEB_BUILD_SPEC).toMatch(/^ {2}- appRoot: web$/m);
    expect(WEB_BUILD_SPEC).toMatch(/^ {6}buildPath: \/$/m);
    expect(WEB_BUILD_SPEC).toContain('npm ci');
    expect(WEB_BUILD_SPEC).toContain('npm run build --workspace web');
    expect(WEB_BUILD_SPEC).toMatch(/baseDirectory: web\/\.next$/m);
    expect(WEB_BUILD_SPEC).not.toMatch(/\t/);
  });

  it('builds the configured branch on every push, as a development stage outside prod', () => {
    template.hasResourceProperties('AWS::Amplify::Branch', {
      AppId: { 'Fn::GetAtt': [logicalIdOf(web.app, stack), 'AppId'] },
      BranchName: 'release/main',
      Framework: 'Next.js - SSR',
      Stage: 'DEVELOPMENT',
      EnableAutoBuild: true,
    });
    hostingTemplate(true).template.hasResourceProperties('AWS::Amplify::Branch', {
      Stage: 'PRODUCTION',
    });
  });

  it('serves the branch on its Amplify subdomain', () => {
    expect(render(stack.resolve(web.url))).toBe(
      `https://release-main.\${${logicalIdOf(web.app, stack)}.DefaultDomain}`,
    );
  });
});
