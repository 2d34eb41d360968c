import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabWebSocketApi, WEBSOCKET_THROTTLE } from '../lib/constructs/collab-websocket-api.js';
import {
  logicalIdOf,
  type SynthesizedPatchline,
  synthPatchline,
  testConfig,
} from './support/patchline-app.js';
import {
  actionsOf,
  policyStatements,
  render,
  resourcesOf,
  routeTargetFunction,
  statementsOfRole,
} from './support/template-queries.js';

describe(CollabWebSocketApi.name, () => {
  let app: SynthesizedPatchline;
  beforeAll(() => {
    app = synthPatchline(testConfig(), { bundle: false });
  });
  afterAll(() => app?.dispose());

  const ids = () => {
    const { collab } = app;
    const handlers = collab.websocket.handlers;
    return {
      api: logicalIdOf(collab.websocket.api, collab),
      connect: logicalIdOf(handlers.connect.fn, collab),
      disconnect: logicalIdOf(handlers.disconnect.fn, collab),
      message: logicalIdOf(handlers.message.fn, collab),
      roles: Object.values(handlers).map((handler) => logicalIdOf(handler.role, collab)),
    };
  };

  it('is a WebSocket API routing on $request.body.action', () => {
    app.templates.collab.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  it('wires $connect, $disconnect and $default to the connect, disconnect and message handlers', () => {
    const { collab } = app.templates;
    const { connect, disconnect, message } = ids();
    expect(routeTargetFunction(collab, '$connect')).toBe(connect);
    expect(routeTargetFunction(collab, '$disconnect')).toBe(disconnect);
    expect(routeTargetFunction(collab, '$default')).toBe(message);
    collab.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: ids().api },
      IntegrationType: 'AWS_PROXY',
    });
  });

  it('deploys a stage named after the Patchline stage, throttled and access-logged', () => {
    app.templates.collab.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: ids().api },
      StageName: 'dev',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: WEBSOCKET_THROTTLE.burstLimit,
        ThrottlingRateLimit: WEBSOCKET_THROTTLE.rateLimit,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    // WebSocket access logs need the region's API Gateway CloudWatch role.
    app.templates.collab.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('runs every handler on Node.js 22, ARM64, bundled as ESM', () => {
    for (const id of [ids().connect, ids().disconnect, ids().message]) {
      const fn = app.templates.collab.toJSON().Resources[id];
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('gives the handlers the table, management endpoint and pool ids, and leaves AWS_REGION to Lambda', () => {
    const { collab } = app;
    const apiId = ids().api;
    for (const handler of Object.values(collab.websocket.handlers)) {
      const fn = app.templates.collab.toJSON().Resources[logicalIdOf(handler.fn, collab)];
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(variables).sort()).toEqual(
        [
          'COGNITO_CLIENT_ID',
          'COGNITO_USER_POOL_ID',
          'NODE_OPTIONS',
          'TABLE_NAME',
          'WS_MANAGEMENT_ENDPOINT',
        ].sort(),
      );
      expect(render(variables.WS_MANAGEMENT_ENDPOINT)).toBe(
        `https://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/dev`,
      );
      expect(render(variables.TABLE_NAME)).toMatch(/Patchline-dev-Data\..*DocumentsTable/);
    }
  });

  it('scopes ManageConnections to this API, stage and the management methods', () => {
    const apiId = ids().api;
    for (const role of ids().roles) {
      const manage = statementsOfRole(app.templates.collab, role).filter((s) =>
        actionsOf(s).includes('execute-api:ManageConnections'),
      );
      expect(manage).toHaveLength(1);
      expect(actionsOf(manage[0]!)).toEqual(['execute-api:ManageConnections']);
      expect(resourcesOf(manage[0]!).map(render).sort()).toEqual(
        ['DELETE', 'GET', 'POST'].map(
          (method) =>
            `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/dev/${method}/@connections/*`,
        ),
      );
    }
  });

  it('scopes DynamoDB access to the table and GSI1', () => {
    for (const role of ids().roles) {
      const data = statementsOfRole(app.templates.collab, role).filter((s) =>
        actionsOf(s).some((action) => action.startsWith('dynamodb:')),
      );
      expect(data).toHaveLength(1);
      const [table, index] = resourcesOf(data[0]!).map(render);
      expect(table).toMatch(/DocumentsTable.*Arn/);
      expect(index).toBe(`${table}/index/GSI1`);
    }
  });

  it('grants nothing on Resource "*" in the stateless stack', () => {
    const wildcards = policyStatements(app.templates.collab).filter((s) => resourcesOf(s).includes('*'));
    expect(wildcards).toEqual([]);
  });
});
