import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HandlerSource } from '../config.js';
import { acknowledgeFindings } from '../nag.js';
import type { DocumentTable } from './document-table.js';
import { HandlerFunction } from './handler-function.js';
import type { PatchlineUserPool } from './user-pool.js';

/**
 * Stage throttling of the WebSocket API, per second across all routes. API Gateway's account
 * quota is 10,000 requests/s and 500 new connections/s per region; one stage takes a slice.
 */
export const WEBSOCKET_THROTTLE = { rateLimit: 500, burstLimit: 1000 } as const;

/** The methods the management API is called with: PostToConnection, GetConnection, DeleteConnection. */
const MANAGEMENT_METHODS = ['POST', 'GET', 'DELETE'] as const;

export interface CollabWebSocketApiProps {
  /** API Gateway stage name; the Patchline stage (`dev`, `prod`). */
  readonly stageName: string;
  readonly handlers: {
    readonly connect: HandlerSource;
    readonly disconnect: HandlerSource;
    readonly message: HandlerSource;
  };
  readonly table: DocumentTable;
  readonly identity: PatchlineUserPool;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  /**
   * Set the region's API Gateway CloudWatch role (AWS::ApiGateway::Account), which WebSocket
   * access logging needs. It is one setting per account and region: let one stack own it.
   */
  readonly manageApiGatewayAccount: boolean;
}

/**
 * Realtime: the WebSocket API whose `$connect`, `$disconnect` and `$default` routes invoke
 * collab-server's handlers, a throttled stage with access logs, and each handler's rights:
 * the store's item actions on the table, `ManageConnections` on this stage's connections only.
 */
export class CollabWebSocketApi extends Construct {
  readonly api: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;
  readonly handlers: Record<'connect' | 'disconnect' | 'message', HandlerFunction>;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CollabWebSocketApiProps) {
    super(scope, id);
    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      apiName: `patchline-${props.stageName}-collab`,
      description: 'Patchline realtime collaboration (wire protocol: shared/PROTOCOL.md)',
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: WEBSOCKET_THROTTLE,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup) },
    });
    if (props.manageApiGatewayAccount) this.addAccountLogRole();

    const environment = {
      TABLE_NAME: props.table.table.tableName,
      WS_MANAGEMENT_ENDPOINT: this.managementEndpoint,
      COGNITO_USER_POOL_ID: props.identity.userPool.userPoolId,
      COGNITO_CLIENT_ID: props.identity.webClient.userPoolClientId,
    };
    const handler = (name: 'connect' | 'disconnect' | 'message', memorySize: number, timeout: Duration) =>
      new HandlerFunction(this, `${name[0]!.toUpperCase()}${name.slice(1)}Handler`, {
        source: props.handlers[name],
        description: `Patchline ${props.stageName} WebSocket ${name} handler`,
        environment,
        memorySize,
        timeout,
        logRetentionDays: props.logRetentionDays,
        retainLogs: props.retainLogs,
      });
    // Integrations time out at 29 s; $default merges Yjs updates and may compact a snapshot.
    this.handlers = {
      connect: handler('connect', 512, Duration.seconds(10)),
      disconnect: handler('disconnect', 512, Duration.seconds(10)),
      message: handler('message', 1024, Duration.seconds(29)),
    };

    this.api.addRoute('$connect', {
      integration: new WebSocketLambdaIntegration('ConnectIntegration', this.handlers.connect.fn),
    });
    this.api.addRoute('$disconnect', {
      integration: new WebSocketLambdaIntegration('DisconnectIntegration', this.handlers.disconnect.fn),
    });
    this.api.addRoute('$default', {
      integration: new WebSocketLambdaIntegration('DefaultIntegration', this.handlers.message.fn),
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        '$connect verifies the Cognito ID token from ?token= itself (browsers cannot set headers on a WebSocket); other routes only reach accepted connections.',
    });

    for (const { fn } of Object.values(this.handlers)) {
      props.table.grantStoreAccess(fn);
      this.grantManageConnections(fn);
    }
  }

  /** `wss://…/{stage}`: what the browser connects to. */
  get url(): string {
    return this.stage.url;
  }

  /** `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`: the handlers' `WS_MANAGEMENT_ENDPOINT`. */
  get managementEndpoint(): string {
    return this.stage.callbackUrl;
  }

  /**
   * `execute-api:ManageConnections` on this API and stage's `@connections/*` for the three
   * methods the management client uses. Connection ids are only known at run time, hence `*`.
   */
  grantManageConnections(grantee: iam.IGrantable): iam.Grant {
    const apiArn = Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.apiId });
    const resourceArns = MANAGEMENT_METHODS.map(
      (method) => `${apiArn}/${this.stage.stageName}/${method}/@connections/*`,
    );
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:ManageConnections'],
      resourceArns,
    });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      acknowledgeFindings(
        principal,
        'AwsSolutions-IAM5',
        'Resource',
        resourceArns,
        'Ends in @connections/*: connection ids exist only at run time; API, stage and method are fixed.',
      );
    }
    return grant;
  }

  private addAccountLogRole(): void {
    const policy = iam.ManagedPolicy.fromAwsManagedPolicyName(
      'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    );
    const role = new iam.Role(this, 'ApiGatewayLogRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [policy],
    });
    acknowledgeFindings(
      role,
      'AwsSolutions-IAM4',
      'Policy',
      [policy.managedPolicyArn],
      "AWS's documented policy for API Gateway's account-level CloudWatch role; it tracks new log APIs.",
    );
    const account = new apigw.CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
    this.stage.node.addDependency(account);
  }
}
