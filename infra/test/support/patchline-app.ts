import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { defaultHandlerSources, type PatchlineConfig, parseConfig } from '../../lib/config.js';
import { definePatchline, type PatchlineStacks } from '../../lib/patchline.js';

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const { stage: _stage, ...flags } = cdkJson.context;
  return flags;
}

/** The web origin test configurations allow (a developer's own `next dev`). */
export const TEST_WEB_ORIGIN = 'http://localhost:3000';

/** A valid configuration for tests: dev, environment-agnostic, no web hosting, the real handlers. */
export function testConfig(overrides: Partial<PatchlineConfig> = {}): PatchlineConfig {
  return parseConfig({
    stage: 'dev',
    corsAllowedOrigins: [TEST_WEB_ORIGIN],
    manageApiGatewayAccount: true,
    handlers: defaultHandlerSources(),
    ...overrides,
  });
}

export const WEB_REPOSITORY = {
  repositoryUrl: 'https://github.com/example/patchline',
  accessTokenSecretName: 'patchline/amplify-github-token',
  branch: 'main',
} as const;

export interface SynthesizedPatchline extends PatchlineStacks {
  readonly app: App;
  readonly outdir: string;
  readonly templates: { readonly data: Template; readonly collab: Template };
  /** Removes the cloud assembly (bundled handlers included) from the temp dir. */
  dispose(): void;
}

export interface SynthOptions {
  /**
   * Run CDK's built-in CloudFormation template validation too, as `cdk synth` does. It costs
   * about 10 s per synth on 2 cores, so only the app test turns it on; cdk-nag always runs.
   */
  readonly cloudFormationValidation?: boolean;
  /**
   * Bundle the handlers with esbuild (default). Construct tests that only read the templates
   * turn it off: CDK then stages no code and names each asset after its construct path.
   */
  readonly bundle?: boolean;
}

/**
 * Builds and synthesizes the whole app, as bin/patchline.ts does, into a fresh temp dir.
 * Bundling the four handlers takes seconds: call it once per file, in `beforeAll`; repeated
 * synths in one file reuse the bundles (CDK caches staged assets per process).
 */
export function synthPatchline(
  config: PatchlineConfig = testConfig(),
  options: SynthOptions = {},
): SynthesizedPatchline {
  const outdir = mkdtempSync(join(tmpdir(), 'patchline-infra-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...(options.bundle === false ? { [BUNDLING_STACKS]: [] } : {}) },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const dispose = () => rmSync(outdir, { recursive: true, force: true });
  let stacks: PatchlineStacks;
  try {
    stacks = definePatchline(app, config);
    app.synth();
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    ...stacks,
    app,
    outdir,
    templates: { data: Template.fromStack(stacks.data), collab: Template.fromStack(stacks.collab) },
    dispose,
  };
}

/** A bare stack for constructs that need no handlers (user pool, table, web hosting). */
export function emptyStack(): Stack {
  return new Stack(new App({ context: cdkJsonContext(), builtinCloudFormationValidation: false }), 'Test');
}

/** The logical id CloudFormation will use for an L1 resource or an L2 construct's default resource. */
export function logicalIdOf(construct: IConstruct, stack: Stack): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element))
    throw new Error(`${construct.node.path} has no CfnElement`);
  return stack.resolve(stack.getLogicalId(element)) as string;
}
