import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HandlerSource } from '../config.js';

/**
 * CommonJS dependencies bundled into an ES module still call `require()` for Node built-ins and
 * read `__dirname` / `__filename`, which ES modules lack; define them for the whole bundle.
 */
const ESM_BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { dirname as __pathDirname } from 'node:path';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join(' ');

export interface HandlerFunctionProps {
  /** Where esbuild finds the handler (resolved in `lib/config.ts`). */
  readonly source: HandlerSource;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/**
 * One collab-server handler as a Node.js 22 ARM64 Lambda, bundled by esbuild from the
 * TypeScript sources, with its own log group and a role that may only write to that log group.
 * Callers grant data access on `fn` explicitly.
 */
export class HandlerFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to any
    // log group of the account; this one writes to its log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.source.entry,
      projectRoot: props.source.projectRoot,
      depsLockFilePath: props.source.depsLockFilePath,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The Node.js 22 runtime ships AWS SDK v3; bundling it would only add cold-start bytes.
        externalModules: ['@aws-sdk/*', '@smithy/*'],
        // Workspace packages export `src/index.ts` under this condition, so esbuild bundles
        // @patchline/shared and @patchline/permissions from source without a build step.
        esbuildArgs: { '--conditions': '@patchline/source' },
        banner: ESM_BANNER,
        logLevel: nodejs.LogLevel.ERROR,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) =>
            props.source.assets.map(({ from, to }) => `cp -R "${from}" "${outputDir}/${to}"`),
        },
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 (infra/README.md); moving to a newer runtime is a tested change of its own.',
    });
  }
}
