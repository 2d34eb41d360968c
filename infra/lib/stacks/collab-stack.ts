import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type PatchlineConfig, stageSettings } from '../config.js';
import { CollabWebSocketApi } from '../constructs/collab-websocket-api.js';
import { Operations } from '../constructs/operations.js';
import { RestApi } from '../constructs/rest-api.js';
import { WebHosting } from '../constructs/web-hosting.js';
import type { DataStack } from './data-stack.js';

export interface CollabStackProps extends StackProps {
  readonly config: PatchlineConfig;
  readonly data: DataStack;
}

/**
 * The stateless half: WebSocket API, REST API, web hosting and operations, wired to the data
 * stack's table and user pool. Its outputs are everything the web app needs.
 */
export class CollabStack extends Stack {
  readonly websocket: CollabWebSocketApi;
  readonly rest: RestApi;
  readonly web: WebHosting | undefined;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: CollabStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const settings = stageSettings(config.stage);
    const logs = { logRetentionDays: settings.logRetentionDays, retainLogs: settings.isProd };

    this.websocket = new CollabWebSocketApi(this, 'Collab', {
      stageName: config.stage,
      handlers: config.handlers,
      table: data.documents,
      identity: data.identity,
      manageApiGatewayAccount: config.manageApiGatewayAccount,
      ...logs,
    });
    // The web build needs the API's URL and the API's CORS needs the web app's origin: Amplify's
    // domain belongs to the app and the URL goes on its branch, so the URL is read lazily here.
    const publicConfig = {
      apiUrl: Lazy.string({ produce: () => this.rest.url }),
      websocketUrl: this.websocket.url,
      userPoolId: data.identity.userPool.userPoolId,
      userPoolClientId: data.identity.webClient.userPoolClientId,
      region: this.region,
    };
    this.web = config.web
      ? new WebHosting(this, 'Web', {
          stageName: config.stage,
          isProd: settings.isProd,
          ...config.web,
          publicConfig,
        })
      : undefined;
    this.rest = new RestApi(this, 'Rest', {
      stageName: config.stage,
      source: config.handlers.api,
      table: data.documents,
      identity: data.identity,
      websocket: this.websocket,
      corsAllowedOrigins: webOrigins(config, this.web),
      ...logs,
    });
    // Share links point at the web app, and Fastify answers CORS for its origin.
    if (this.web) this.rest.handler.fn.addEnvironment('WEB_URL', this.web.url);
    this.operations = new Operations(this, 'Operations', {
      stageName: config.stage,
      functions: {
        connect: this.websocket.handlers.connect.fn,
        disconnect: this.websocket.handlers.disconnect.fn,
        message: this.websocket.handlers.message.fn,
        api: this.rest.handler.fn,
      },
      websocket: this.websocket,
      rest: this.rest,
      table: data.documents.table,
      alarmEmail: config.alarmEmail,
    });

    // Named like the web app's PATCHLINE_* runtime variables, so cdk-outputs.json maps onto .env.
    new CfnOutput(this, 'ApiUrl', { value: this.rest.url, description: 'PATCHLINE_API_URL' });
    new CfnOutput(this, 'WebSocketUrl', {
      value: publicConfig.websocketUrl,
      description: 'PATCHLINE_WEBSOCKET_URL',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: publicConfig.userPoolId,
      description: 'PATCHLINE_USER_POOL_ID',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: publicConfig.userPoolClientId,
      description: 'PATCHLINE_CLIENT_ID',
    });
    new CfnOutput(this, 'Region', { value: publicConfig.region, description: 'PATCHLINE_REGION' });
    new CfnOutput(this, 'WebSocketManagementEndpoint', { value: this.websocket.managementEndpoint });
    new CfnOutput(this, 'DashboardName', { value: this.operations.dashboard.dashboardName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.alarmTopic.topicArn });
    if (this.web) {
      new CfnOutput(this, 'WebUrl', { value: this.web.url });
      new CfnOutput(this, 'AmplifyAppId', { value: this.web.app.attrAppId });
    }
  }
}

/**
 * The origins the REST API answers CORS for: the hosted web app's, plus any configured (a custom
 * domain, or a developer's own `next dev` without hosting). Never `*` (config.ts refuses it).
 */
export function webOrigins(config: PatchlineConfig, web: WebHosting | undefined): string[] {
  // config.ts guarantees at least one: hosting, or a configured origin.
  return [...(web ? [web.url] : []), ...config.corsAllowedOrigins];
}
