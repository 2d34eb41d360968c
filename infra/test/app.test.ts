import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePatchline } from '../lib/patchline.js';
import {
  logicalIdOf,
  type SynthesizedPatchline,
  synthPatchline,
  testConfig,
  WEB_REPOSITORY,
} from './support/patchline-app.js';
import { render } from './support/template-queries.js';

/** Asset hashes change with every handler edit; the snapshot pins the infrastructure only. */
const scrubAssetHashes = (template: unknown): unknown =>
  JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[asset-hash]'));

describe(definePatchline.name, () => {
  let prod: SynthesizedPatchline;
  let dev: SynthesizedPatchline;
  beforeAll(() => {
    // As `cdk synth -c stage=prod -c repositoryUrl=…` runs it: handlers bundled, CloudFormation
    // validation and cdk-nag on.
    prod = synthPatchline(testConfig({ stage: 'prod', web: WEB_REPOSITORY, corsAllowedOrigins: [] }), {
      cloudFormationValidation: true,
    });
    dev = synthPatchline(testConfig(), { bundle: false });
  });
  afterAll(() => {
    prod?.dispose();
    dev?.dispose();
  });

  it('matches the snapshot (asset hashes scrubbed)', () => {
    expect(scrubAssetHashes(prod.templates.data.toJSON())).toMatchSnapshot('Patchline-prod-Data');
    expect(scrubAssetHashes(prod.templates.collab.toJSON())).toMatchSnapshot('Patchline-prod-Collab');
  });

  it('names the stateful and stateless stacks after the stage and protects prod', () => {
    expect([prod.data.stackName, prod.collab.stackName]).toEqual([
      'Patchline-prod-Data',
      'Patchline-prod-Collab',
    ]);
    expect([dev.data.stackName, dev.collab.stackName]).toEqual([
      'Patchline-dev-Data',
      'Patchline-dev-Collab',
    ]);
    expect(prod.data.terminationProtection).toBe(true);
    expect(dev.data.terminationProtection).toBe(false);
    expect(prod.collab.dependencies).toContain(prod.data);
  });

  it('keeps stateful resources in the data stack only', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Cognito::UserPool']) {
      prod.templates.data.resourceCountIs(type, 1);
      prod.templates.collab.resourceCountIs(type, 0);
    }
    prod.templates.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    prod.templates.data.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('keeps prod logs for 90 days', () => {
    for (const group of Object.values(prod.templates.collab.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(90);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it('outputs every URL and id the web needs', () => {
    for (const name of [
      'ApiUrl',
      'WebSocketUrl',
      'UserPoolId',
      'UserPoolClientId',
      'Region',
      'WebUrl',
      'AmplifyAppId',
    ]) {
      prod.templates.collab.hasOutput(name, { Value: Match.anyValue() });
    }
    const outputs = prod.templates.collab.toJSON().Outputs;
    expect(render(outputs.WebSocketUrl.Value)).toMatch(
      /^wss:\/\/\$\{CollabApi[0-9A-F]+\}\.execute-api\..*\/prod$/,
    );
    // The HTTP API's own endpoint: `https://{id}.execute-api.{region}.amazonaws.com`, no trailing slash.
    expect(render(outputs.ApiUrl.Value)).toMatch(/^\$\{RestApi[0-9A-F]+\.ApiEndpoint\}$/);
    prod.templates.data.hasOutput('TableName', { Value: Match.anyValue() });
  });

  it('builds the web app against this deployment’s API, WebSocket and pool', () => {
    const [branch] = Object.values(prod.templates.collab.findResources('AWS::Amplify::Branch'));
    const variables = Object.fromEntries(
      (branch!.Properties.EnvironmentVariables as { Name: string; Value: unknown }[]).map((v) => [
        v.Name,
        render(v.Value),
      ]),
    );
    const restApi = logicalIdOf(prod.collab.rest.httpApi, prod.collab);
    const websocketApi = logicalIdOf(prod.collab.websocket.api, prod.collab);
    expect(variables.PATCHLINE_API_URL).toBe(`\${${restApi}.ApiEndpoint}`);
    expect(variables.PATCHLINE_WEBSOCKET_URL).toContain(`wss://\${${websocketApi}}`);
    expect(variables.PATCHLINE_USER_POOL_ID).toMatch(/Patchline-prod-Data\..*UserPool/);
    expect(variables.PATCHLINE_CLIENT_ID).toMatch(/Patchline-prod-Data\..*WebClient/);
    expect(variables.PATCHLINE_REGION).toBe(`\${AWS::Region}`);
  });

  it("answers CORS for the hosted web app's origin only", () => {
    const [api] = Object.values(
      prod.templates.collab.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }),
    );
    const amplifyApp = logicalIdOf(prod.collab.web!.app, prod.collab);
    expect(api!.Properties.CorsConfiguration.AllowOrigins.map(render)).toEqual([
      `https://main.\${${amplifyApp}.DefaultDomain}`,
    ]);
  });

  it('tells the REST API where the web app lives (share-link URLs, CORS origin)', () => {
    const fn =
      prod.templates.collab.toJSON().Resources[logicalIdOf(prod.collab.rest.handler.fn, prod.collab)];
    const amplifyApp = logicalIdOf(prod.collab.web!.app, prod.collab);
    expect(render(fn.Properties.Environment.Variables.WEB_URL)).toBe(
      `https://main.\${${amplifyApp}.DefaultDomain}`,
    );
  });

  it('bundles each handler into one ES module, with the AWS SDK left to the runtime', () => {
    const bundleDir = (fn: IConstruct) => join(prod.outdir, (fn.node.findChild('Code') as Asset).assetPath);
    const { handlers } = prod.collab.websocket;
    for (const fn of [
      handlers.connect.fn,
      handlers.disconnect.fn,
      handlers.message.fn,
      prod.collab.rest.handler.fn,
    ]) {
      const code = readFileSync(join(bundleDir(fn), 'index.mjs'), 'utf8');
      expect(code.startsWith('import { createRequire as __createRequire }')).toBe(true);
      expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
      expect(code).not.toMatch(/from\s*"@patchline\//);
    }
    // @fastify/swagger-ui reads static/ beside the bundle at start-up.
    expect(readdirSync(bundleDir(prod.collab.rest.handler.fn)).sort()).toEqual([
      'index.mjs',
      'index.mjs.map',
      'static',
    ]);
    expect(readdirSync(bundleDir(handlers.connect.fn)).sort()).toEqual(['index.mjs', 'index.mjs.map']);
  });

  it('leaves web hosting out when no repository is configured', () => {
    dev.templates.collab.resourceCountIs('AWS::Amplify::App', 0);
    expect(Object.keys(dev.templates.collab.toJSON().Outputs)).not.toContain('WebUrl');
  });
});
