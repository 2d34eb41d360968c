import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES, REST_THROTTLE, RestApi, USER_POOL_ACTIONS } from '../lib/constructs/rest-api.js';
import {
  logicalIdOf,
  type SynthesizedPatchline,
  synthPatchline,
  TEST_WEB_ORIGIN,
  testConfig,
} from './support/patchline-app.js';
import {
  actionsOf,
  render,
  resourcesOf,
  routeTargetFunction,
  statementsOfRole,
} from './support/template-queries.js';

describe(RestApi.name, () => {
  let app: SynthesizedPatchline;
  beforeAll(() => {
    app = synthPatchline(testConfig(), { bundle: false });
  });
  afterAll(() => app?.dispose());

  const ids = () => ({
    api: logicalIdOf(app.collab.rest.httpApi, app.collab),
    fn: logicalIdOf(app.collab.rest.handler.fn, app.collab),
    role: logicalIdOf(app.collab.rest.handler.role, app.collab),
    websocketApi: logicalIdOf(app.collab.websocket.api, app.collab),
  });

  it("is an HTTP API that answers CORS itself, for the web app's origin only", () => {
    app.templates.collab.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: [TEST_WEB_ORIGIN],
        AllowHeaders: ['authorization', 'content-type'],
        AllowMethods: ['*'],
        MaxAge: 86400,
      },
    });
  });

  it('checks Cognito JWTs for this pool and web client at the edge', () => {
    const authorizers = app.templates.collab.findResources('AWS::ApiGatewayV2::Authorizer');
    const [authorizer, ...others] = Object.values(authorizers);
    expect(others).toEqual([]);
    expect(authorizer!.Properties).toMatchObject({
      ApiId: { Ref: ids().api },
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    const { Audience, Issuer } = authorizer!.Properties.JwtConfiguration;
    expect(Audience.map(render)).toEqual([expect.stringMatching(/Patchline-dev-Data\..*WebClient/)]);
    expect(render(Issuer)).toMatch(/^https:\/\/\$\{Patchline-dev-Data\..*UserPool.*ProviderURL.*\}$/);
  });

  it('authorizes ANY /{proxy+} and leaves exactly the public routes open', () => {
    const { collab } = app.templates;
    const authorizerId = Object.keys(collab.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
    collab.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      ApiId: { Ref: ids().api },
      RouteKey: 'ANY /{proxy+}',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizerId },
    });
    const open = Object.values(
      collab.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { ApiId: { Ref: ids().api }, AuthorizationType: 'NONE' },
      }),
    ).map((route) => route.Properties.RouteKey);
    expect(open.sort()).toEqual(PUBLIC_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('sends every route to the Fastify handler with payload format 2.0', () => {
    for (const key of ['ANY /{proxy+}', ...PUBLIC_ROUTES.map((route) => `${route.method} ${route.path}`)]) {
      expect(routeTargetFunction(app.templates.collab, key)).toBe(ids().fn);
    }
    app.templates.collab.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: ids().api },
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('deploys a throttled, access-logged $default stage', () => {
    app.templates.collab.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: ids().api },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: REST_THROTTLE.burstLimit,
        ThrottlingRateLimit: REST_THROTTLE.rateLimit,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it('runs the handler on Node.js 22 ARM64 with the table, pool and management endpoint', () => {
    const fn = app.templates.collab.toJSON().Resources[ids().fn];
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
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
    expect(render(variables.WS_MANAGEMENT_ENDPOINT)).toContain(`\${${ids().websocketApi}}.execute-api.`);
  });

  it('may manage users of this pool only, with the directory actions only', () => {
    const statements = statementsOfRole(app.templates.collab, ids().role);
    const cognito = statements.filter((s) =>
      actionsOf(s).some((action) => action.startsWith('cognito-idp:')),
    );
    expect(cognito).toHaveLength(1);
    expect(actionsOf(cognito[0]!).sort()).toEqual([...USER_POOL_ACTIONS].sort());
    expect(resourcesOf(cognito[0]!).map(render)).toEqual([
      expect.stringMatching(/Patchline-dev-Data\..*UserPool.*Arn/),
    ]);
  });

  it('may push to WebSocket connections of this API and read/write the table, nothing on "*"', () => {
    const statements = statementsOfRole(app.templates.collab, ids().role);
    const manage = statements.find((s) => actionsOf(s).includes('execute-api:ManageConnections'));
    expect(resourcesOf(manage!).map(render)).toHaveLength(3);
    for (const resource of resourcesOf(manage!).map(render)) {
      expect(resource).toContain(`\${${ids().websocketApi}}/dev/`);
    }
    expect(statements.some((s) => actionsOf(s).includes('dynamodb:Query'))).toBe(true);
    expect(statements.flatMap(resourcesOf)).not.toContain('*');
  });
});
