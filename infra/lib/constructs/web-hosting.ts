import { SecretValue } from 'aws-cdk-lib';
import * as amplify from 'aws-cdk-lib/aws-amplify';
import { Construct } from 'constructs';

/** The folder of the Next.js app inside the npm-workspaces monorepo. */
export const WEB_APP_ROOT = 'web';

/**
 * What the browser needs to reach the backend. The web app reads these as `PATCHLINE_*` on the
 * server per request (web/lib/runtime-config.ts), so the build writes them into
 * `.env.production`, where Amplify's SSR runtime finds them.
 */
export interface WebPublicConfig {
  readonly apiUrl: string;
  readonly websocketUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly region: string;
}

export interface WebHostingProps {
  readonly stageName: string;
  readonly isProd: boolean;
  /** `https://github.com/owner/repo`. */
  readonly repositoryUrl: string;
  /** Secrets Manager secret with the GitHub access token Amplify clones and sets webhooks with. */
  readonly accessTokenSecretName: string;
  readonly branch: string;
  readonly publicConfig: WebPublicConfig;
}

/**
 * Amplify build spec for a monorepo app: install the whole npm workspace once from the
 * repository root (web imports @patchline/shared and @patchline/permissions from source),
 * then build only the web workspace. `appRoot` must equal AMPLIFY_MONOREPO_APP_ROOT.
 */
export const WEB_BUILD_SPEC = `version: 1
applications:
  - appRoot: ${WEB_APP_ROOT}
    frontend:
      buildPath: /
      phases:
        preBuild:
          commands:
            - nvm install 22 && nvm use 22
            - npm ci --no-audit --no-fund
        build:
          commands:
            - env | grep -e '^PATCHLINE_' >> .env.production
            - npm run build --workspace ${WEB_APP_ROOT}
      artifacts:
        baseDirectory: ${WEB_APP_ROOT}/.next
        files:
          - '**/*'
      cache:
        paths:
          - node_modules/**/*
          - ${WEB_APP_ROOT}/.next/cache/**/*
`;

/**
 * Web: the Next.js app (SSR) on Amplify Hosting's WEB_COMPUTE platform, built from the
 * repository on every push to the branch, with the public configuration injected.
 */
export class WebHosting extends Construct {
  readonly app: amplify.CfnApp;
  readonly branch: amplify.CfnBranch;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const { publicConfig } = props;
    this.app = new amplify.CfnApp(this, 'App', {
      name: `patchline-${props.stageName}-web`,
      description: 'Patchline web app (Next.js, SSR)',
      platform: 'WEB_COMPUTE',
      repository: props.repositoryUrl,
      // A CloudFormation dynamic reference: the token never appears in the template.
      accessToken: SecretValue.secretsManager(props.accessTokenSecretName).unsafeUnwrap(),
      buildSpec: WEB_BUILD_SPEC,
      environmentVariables: [{ name: 'AMPLIFY_MONOREPO_APP_ROOT', value: WEB_APP_ROOT }],
    });
    this.branch = new amplify.CfnBranch(this, 'Branch', {
      appId: this.app.attrAppId,
      branchName: props.branch,
      framework: 'Next.js - SSR',
      stage: props.isProd ? 'PRODUCTION' : 'DEVELOPMENT',
      enableAutoBuild: true,
      // On the branch, not the app: the REST API's CORS names the app's domain, so an app that
      // named the API would be a dependency cycle.
      environmentVariables: [
        { name: 'PATCHLINE_API_URL', value: publicConfig.apiUrl },
        { name: 'PATCHLINE_WEBSOCKET_URL', value: publicConfig.websocketUrl },
        { name: 'PATCHLINE_USER_POOL_ID', value: publicConfig.userPoolId },
        { name: 'PATCHLINE_CLIENT_ID', value: publicConfig.userPoolClientId },
        { name: 'PATCHLINE_REGION', value: publicConfig.region },
      ],
    });
  }

  /** `https://{branch}.{appId}.amplifyapp.com` (Amplify turns `/` in branch names into `-`). */
  get url(): string {
    return `https://${this.branch.branchName.replaceAll('/', '-')}.${this.app.attrDefaultDomain}`;
  }
}
