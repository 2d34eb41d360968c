import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HandlerSource } from '../config.js';
import type { CollabWebSocketApi } from './collab-websocket-api.js';
import type { DocumentTable } from './document-table.js';
import { HandlerFunction } from './handler-function.js';
import type { PatchlineUserPool } from './user-pool.js';

/** Stage throttling of the REST API, requests per second (account quota: 10,000/s per region). */
export const REST_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/** Routes that answer without a token: health, share-link previews, the OpenAPI docs. */
export const PUBLIC_ROUTES = [
  { path: '/health', method: apigwv2.HttpMethod.GET },
  { path: '/share-links/{token}/preview', method: apigwv2.HttpMethod.GET },
  { path: '/docs', method: apigwv2.HttpMethod.GET },
  { path: '/docs/{proxy+}', method: apigwv2.HttpMethod.GET },
] as const;

/**
 * The user-directory calls of the API (group membership changes, user look-ups), on this pool
 * only. No AdminCreateUser / AdminDeleteUser: people sign up themselves.
 */
export const USER_POOL_ACTIONS = [
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:ListUsers',
  'cognito-idp:ListUsersInGroup',
] as const;

export interface RestApiProps {
  readonly stageName: string;
  readonly source: HandlerSource;
  readonly table: DocumentTable;
  readonly identity: PatchlineUserPool;
  /** The API pushes role changes to open connections through the management API. */
  readonly websocket: CollabWebSocketApi;
  readonly corsAllowedOrigins: readonly string[];
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/**
 * API: the Fastify app as one Lambda behind an HTTP API. A Cognito JWT authorizer checks the
 * token at the edge for `ANY /{proxy+}`; the app still builds its ability from the claims.
 */
export class RestApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly handler: HandlerFunction;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.handler = new HandlerFunction(this, 'ApiHandler', {
      source: props.source,
      description: `Patchline ${props.stageName} REST API (Fastify)`,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        COGNITO_USER_POOL_ID: props.identity.userPool.userPoolId,
        COGNITO_CLIENT_ID: props.identity.webClient.userPoolClientId,
        WS_MANAGEMENT_ENDPOINT: props.websocket.managementEndpoint,
      },
      memorySize: 1024,
      // HTTP API integrations time out at 30 s.
      timeout: Duration.seconds(29),
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
    });
    props.table.grantStoreAccess(this.handler.fn);
    props.websocket.grantManageConnections(this.handler.fn);
    iam.Grant.addToPrincipal({
      grantee: this.handler.fn,
      actions: [...USER_POOL_ACTIONS],
      resourceArns: [props.identity.userPool.userPoolArn],
    });

    const authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', props.identity.issuerUrl, {
      jwtAudience: [props.identity.webClient.userPoolClientId],
    });
    this.httpApi = new apigwv2.HttpApi(this, 'Api', {
      apiName: `patchline-${props.stageName}-rest`,
      description: 'Patchline REST API',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      // API Gateway answers preflights itself: an OPTIONS request carries no token to authorize.
      corsPreflight: {
        allowOrigins: [...props.corsAllowedOrigins],
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: [apigwv2.CorsHttpMethod.ANY],
        maxAge: Duration.days(1),
      },
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: REST_THROTTLE,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup) },
    });

    const integration = new HttpLambdaIntegration('ApiIntegration', this.handler.fn);
    this.httpApi.addRoutes({ path: '/{proxy+}', methods: [apigwv2.HttpMethod.ANY], integration });
    for (const route of PUBLIC_ROUTES) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration,
        authorizer: new apigwv2.HttpNoneAuthorizer(),
      });
      Validations.of(httpRoute!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by design (health check, share-link preview or API docs).`,
      });
    }
  }

  /**
   * Base URL of the API, `https://{id}.execute-api.{region}.amazonaws.com`: the `$default`
   * stage has no path, and no trailing slash keeps `${url}/releases` a single-slash path.
   */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
