import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEV_WEB_ORIGIN,
  defaultHandlerSources,
  HANDLER_NAMES,
  loadConfig,
  parseConfig,
  REPO_ROOT,
} from '../lib/config.js';
import { testConfig } from './support/patchline-app.js';

const fromContext = (context: Record<string, unknown>) => loadConfig((key) => context[key], {});

describe(loadConfig.name, () => {
  it('defaults to an environment-agnostic dev stage without web hosting, for a local next dev', () => {
    const config = fromContext({});
    expect(config).toMatchObject({
      stage: 'dev',
      corsAllowedOrigins: [DEV_WEB_ORIGIN],
      manageApiGatewayAccount: true,
    });
    expect(config.account).toBeUndefined();
    expect(config.region).toBeUndefined();
    expect(config.web).toBeUndefined();
  });

  it('reads stage, environment, web hosting and lists from -c context strings', () => {
    const config = fromContext({
      stage: 'prod',
      account: '123456789012',
      region: 'eu-west-1',
      repositoryUrl: 'https://github.com/example/patchline',
      corsAllowedOrigins: 'https://main.d1.amplifyapp.com, http://localhost:3000',
      manageApiGatewayAccount: 'false',
      alarmEmail: 'ops@example.com',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      account: '123456789012',
      region: 'eu-west-1',
      web: {
        repositoryUrl: 'https://github.com/example/patchline',
        accessTokenSecretName: 'patchline/amplify-github-token',
        branch: 'main',
      },
      corsAllowedOrigins: ['https://main.d1.amplifyapp.com', 'http://localhost:3000'],
      manageApiGatewayAccount: false,
      alarmEmail: 'ops@example.com',
    });
  });

  it('falls back to the account and region the CDK CLI exports', () => {
    const config = loadConfig(() => undefined, {
      CDK_DEFAULT_ACCOUNT: '000000000000',
      CDK_DEFAULT_REGION: 'us-east-1',
    });
    expect(config).toMatchObject({ account: '000000000000', region: 'us-east-1' });
  });

  it.each([
    [{ stage: 'staging' }, 'stage'],
    [{ account: '1234' }, 'account must be a 12-digit AWS account id'],
    [{ region: 'mars' }, 'region must look like us-east-1'],
    [{ repositoryUrl: 'http://github.com/example/patchline' }, 'web.repositoryUrl'],
    [{ alarmEmail: 'not-an-email' }, 'alarmEmail'],
    // CORS names exact web origins: a wildcard, a path, plain http off loopback or a
    // look-alike host are refused, and a prod stage must name its web app one way or another.
    [{ corsAllowedOrigins: '*' }, '* is not a web origin'],
    [{ corsAllowedOrigins: 'https://app.example.com/' }, 'https://app.example.com/ is not a web origin'],
    [{ corsAllowedOrigins: 'https://app.example.com/x' }, 'is not a web origin'],
    [{ corsAllowedOrigins: 'http://app.example.com' }, 'http://app.example.com is not a web origin'],
    [{ corsAllowedOrigins: 'http://localhost.evil.example' }, 'is not a web origin'],
    [{ corsAllowedOrigins: 'https://*.amplifyapp.com' }, 'is not a web origin'],
    [{ stage: 'prod' }, "the REST API needs the web app's origin for CORS"],
  ])('rejects %j at synth with a message naming the key', (context, message) => {
    expect(() => fromContext(context)).toThrow(message);
  });
});

describe(defaultHandlerSources.name, () => {
  it("resolves each handler through collab-server's ./handlers/* source export", () => {
    const sources = defaultHandlerSources();
    for (const name of HANDLER_NAMES) {
      expect(sources[name]).toMatchObject({
        entry: join(REPO_ROOT, 'collab-server', 'src', 'handlers', `${name}.ts`),
        projectRoot: REPO_ROOT,
        depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      });
    }
  });

  it("ships Swagger UI's static folder beside the API bundle only", () => {
    const sources = defaultHandlerSources();
    expect(sources.api.assets).toEqual([
      { from: expect.stringMatching(/node_modules\/@fastify\/swagger-ui\/static$/), to: 'static' },
    ]);
    for (const name of ['connect', 'disconnect', 'message'] as const)
      expect(sources[name].assets).toEqual([]);
  });
});

describe(parseConfig.name, () => {
  it('fails clearly when a handler entry is missing (api.ts before the REST API lands)', () => {
    const { handlers } = testConfig();
    const missing = { ...handlers.api, entry: join(REPO_ROOT, 'collab-server/src/handlers/missing-api.ts') };
    expect(() => testConfig({ handlers: { ...handlers, api: missing } })).toThrow(
      /missing-api\.ts does not exist[\s\S]*handlers\.api\.entry[\s\S]*collab-server\/src\/handlers\/api\.ts/,
    );
  });
});
