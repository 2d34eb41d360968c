import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatchlineConfig } from '../lib/config.js';
import {
  type SynthesizedPatchline,
  synthPatchline,
  testConfig,
  WEB_REPOSITORY,
} from './support/patchline-app.js';

/**
 * Rules acknowledged somewhere in the app, each with a one-line reason beside the construct.
 * A new rule showing up here is a change to review, not to wave through.
 */
const REVIEWED_RULES = [
  'AwsSolutions-APIG4', // public REST routes; $connect authenticates the token itself
  'AwsSolutions-COG2', // MFA optional (TOTP), not required
  'AwsSolutions-COG8', // Essentials tier
  'AwsSolutions-IAM4', // API Gateway's account CloudWatch role uses AWS's managed policy
  'AwsSolutions-IAM5', // @connections/* (connection ids are runtime values)
  'AwsSolutions-L1', // Node.js 22 pinned
  'AwsSolutions-SNS2', // alarm topic unencrypted (CloudWatch cannot use the AWS-managed key)
];

const cases: [string, PatchlineConfig][] = [
  ['dev without web hosting', testConfig()],
  ['prod with web hosting', testConfig({ stage: 'prod', web: WEB_REPOSITORY })],
];

describe.each(cases)('cdk-nag AwsSolutions checks, %s', (_label, config) => {
  let app: SynthesizedPatchline;
  beforeAll(() => {
    // Synth throws on any unacknowledged AwsSolutions error (the pack is a validation plugin).
    // The rules read templates only, so the handlers need no bundling here (app.test bundles).
    app = synthPatchline(config, { bundle: false });
  });
  afterAll(() => app?.dispose());

  it('reports no unacknowledged finding, error or warning', () => {
    const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    for (const stack of [app.data, app.collab]) {
      expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
        [],
      );
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });

  it('justifies every acknowledgment in one line, for reviewed rules only', () => {
    const acknowledgments = app.app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      expect(reason, id).toMatch(/^[^\n]{20,160}$/);
    }
    const rules = new Set(acknowledgments.map(([id]) => id.replace(/^\w+::/, '').replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual(REVIEWED_RULES);
  });
});
