import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type PatchlineConfig, stackName, stageSettings } from './config.js';
import { CollabStack } from './stacks/collab-stack.js';
import { DataStack } from './stacks/data-stack.js';

export interface PatchlineStacks {
  readonly data: DataStack;
  readonly collab: CollabStack;
}

/**
 * Adds Patchline's two stacks for one stage to `app` and registers the cdk-nag AwsSolutions
 * pack, so synth fails on any unacknowledged finding. bin/patchline.ts and the tests share it.
 *
 * @example
 * const app = new App();
 * definePatchline(app, loadConfig((key) => app.node.tryGetContext(key)));
 */
export function definePatchline(app: App, config: PatchlineConfig): PatchlineStacks {
  const env: Environment | undefined =
    config.account || config.region
      ? {
          ...(config.account ? { account: config.account } : {}),
          ...(config.region ? { region: config.region } : {}),
        }
      : undefined;
  const { isProd } = stageSettings(config.stage);
  const common = { env, terminationProtection: isProd };

  const data = new DataStack(app, 'PatchlineData', {
    ...common,
    stackName: stackName(config.stage, 'Data'),
    description: `Patchline ${config.stage}: user pool and document table (stateful)`,
    config,
  });
  const collab = new CollabStack(app, 'PatchlineCollab', {
    ...common,
    stackName: stackName(config.stage, 'Collab'),
    description: `Patchline ${config.stage}: WebSocket API, REST API, web hosting, alarms (stateless)`,
    config,
    data,
  });

  for (const stack of [data, collab]) {
    Tags.of(stack).add('project', 'patchline');
    Tags.of(stack).add('stage', config.stage);
  }
  // cdk-nag v3 is a policy-validation plugin (v2's Aspect + NagSuppressions became
  // Validations.addPlugins + Validations.acknowledge); the findings land in the synth report.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, collab };
}
