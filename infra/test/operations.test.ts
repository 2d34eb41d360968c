import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Operations } from '../lib/constructs/operations.js';
import {
  logicalIdOf,
  type SynthesizedPatchline,
  synthPatchline,
  testConfig,
} from './support/patchline-app.js';

describe(Operations.name, () => {
  let app: SynthesizedPatchline;
  beforeAll(() => {
    app = synthPatchline(testConfig(), { bundle: false });
  });
  afterAll(() => app?.dispose());

  const topicId = () => logicalIdOf(app.collab.operations.alarmTopic, app.collab);
  const alarms = () => Object.values(app.templates.collab.findResources('AWS::CloudWatch::Alarm'));

  it('alarms on errors and throttles of every handler', () => {
    const { collab } = app;
    const handlers = [...Object.values(collab.websocket.handlers), collab.rest.handler];
    for (const handler of handlers) {
      const fn = logicalIdOf(handler.fn, collab);
      for (const metric of ['Errors', 'Throttles']) {
        app.templates.collab.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: topicId() }],
        });
      }
    }
  });

  it('alarms on REST API 5xx and WebSocket integration and execution errors', () => {
    const rest = logicalIdOf(app.collab.rest.httpApi, app.collab);
    const websocket = logicalIdOf(app.collab.websocket.api, app.collab);
    app.templates.collab.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: Match.arrayWith([{ Name: 'ApiId', Value: { Ref: rest } }]),
      AlarmActions: [{ Ref: topicId() }],
    });
    for (const metric of ['IntegrationError', 'ExecutionError']) {
      app.templates.collab.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: metric,
        Dimensions: Match.arrayWith([
          { Name: 'ApiId', Value: { Ref: websocket } },
          { Name: 'Stage', Value: 'dev' },
        ]),
      });
    }
  });

  it('alarms on DynamoDB throttled requests across the store operations', () => {
    const throttles = alarms().filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('ThrottledRequests'),
    );
    expect(throttles).toHaveLength(1);
    const [throttle] = throttles;
    const operations = JSON.stringify(throttle!.Properties.Metrics).match(/"Value":"([A-Za-z]+Item|Query)"/g);
    expect(operations?.length).toBe(7);
    expect(throttle!.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
  });

  it('has 12 alarms, all notifying the alarm topic, which refuses plain HTTP', () => {
    expect(alarms()).toHaveLength(12);
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
    app.templates.collab.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('draws one dashboard named after the stage', () => {
    app.templates.collab.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    app.templates.collab.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'patchline-dev',
    });
  });

  it('keeps every log group for two weeks outside prod', () => {
    const groups = Object.values(app.templates.collab.findResources('AWS::Logs::LogGroup'));
    // Four handlers plus the two APIs' access logs.
    expect(groups).toHaveLength(6);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBe(14);
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });
});
