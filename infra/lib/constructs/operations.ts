import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { CollabWebSocketApi } from './collab-websocket-api.js';
import type { RestApi } from './rest-api.js';

/** Every alarm looks at 5-minute sums: one failure in a window is worth a look at this scale. */
const PERIOD = Duration.minutes(5);

/** The operations the store issues; ThrottledRequests is reported per operation. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
];

export interface OperationsProps {
  readonly stageName: string;
  /** Handlers by display name (`connect`, `api`, …). */
  readonly functions: Record<string, lambda.IFunction>;
  readonly websocket: CollabWebSocketApi;
  readonly rest: RestApi;
  readonly table: dynamodb.ITable;
  readonly alarmEmail?: string | undefined;
}

/**
 * Operations: alarms on handler errors and throttles, API 5xx (and WebSocket integration
 * errors), DynamoDB throttling, all notifying one SNS topic; and one dashboard. Log retention
 * is set where each log group is made (HandlerFunction, the API constructs).
 */
export class Operations extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Patchline ${props.stageName} alarms`,
      enforceSSL: true,
    });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no user data; CloudWatch cannot publish to a topic under the AWS-managed SNS key.',
    });
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const { websocket, rest, table } = props;
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name} handler errors`, fn.metricErrors(sum));
      this.alarm(`${name} handler throttles`, fn.metricThrottles(sum));
    }
    this.alarm('REST API 5xx', rest.stage.metricServerError(sum));
    this.alarm('WebSocket integration errors', websocket.stage.metric('IntegrationError', sum));
    this.alarm('WebSocket execution errors', websocket.stage.metric('ExecutionError', sum));
    const tableThrottles = table.metricThrottledRequestsForOperations({
      ...sum,
      operations: TABLE_OPERATIONS,
    });
    this.alarm('DynamoDB throttled requests', tableThrottles);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `patchline-${props.stageName}`,
      defaultInterval: Duration.hours(3),
    });
    const p99 = { period: PERIOD, statistic: cloudwatch.Stats.p(99) };
    const functions = Object.entries(props.functions);
    const perFunction = (metric: (fn: lambda.IFunction) => cloudwatch.Metric, label: string) =>
      functions.map(([name, fn]) => metric(fn).with({ label: `${name} ${label}` }));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('WebSocket connections and messages', [
        websocket.stage.metric('ConnectCount', sum),
        websocket.stage.metric('MessageCount', sum),
      ]),
      graph('WebSocket errors', [
        websocket.stage.metric('ClientError', sum),
        websocket.stage.metric('IntegrationError', sum),
        websocket.stage.metric('ExecutionError', sum),
      ]),
      graph('WebSocket integration latency p99 (ms)', [websocket.stage.metric('IntegrationLatency', p99)]),
    );
    this.dashboard.addWidgets(
      graph('REST requests', [rest.stage.metricCount(sum)]),
      graph('REST 4xx / 5xx', [rest.stage.metricClientError(sum), rest.stage.metricServerError(sum)]),
      graph('REST latency p99 (ms)', [
        rest.stage.metricLatency(p99),
        rest.stage.metricIntegrationLatency(p99),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda invocations',
        perFunction((fn) => fn.metricInvocations(sum), 'invocations'),
      ),
      graph('Lambda errors and throttles', [
        ...perFunction((fn) => fn.metricErrors(sum), 'errors'),
        ...perFunction((fn) => fn.metricThrottles(sum), 'throttles'),
      ]),
      graph(
        'Lambda duration p99 (ms)',
        perFunction((fn) => fn.metricDuration(p99), 'p99'),
      ),
    );
    this.dashboard.addWidgets(
      graph('DynamoDB consumed capacity', [
        table.metricConsumedReadCapacityUnits(sum),
        table.metricConsumedWriteCapacityUnits(sum),
      ]),
      graph('DynamoDB throttled requests', [tableThrottles]),
      graph('DynamoDB system errors', [
        table.metricSystemErrorsForOperations({ ...sum, operations: TABLE_OPERATIONS }),
      ]),
    );
  }

  private alarm(description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
    const id = description.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmDescription: `Patchline: ${description} in the last 5 minutes`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function graph(title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 8, height: 6 });
}
