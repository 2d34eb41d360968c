import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Deployment stages; stack names carry the stage (`Patchline-dev-Data`). */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** The Lambda entry points of collab-server that infra deploys, and nothing else of it. */
export const HANDLER_NAMES = ['connect', 'disconnect', 'message', 'api'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Root of the monorepo: `infra/lib/config.ts` → `../..`. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const existingFile = (what: string) =>
  z.string().refine((path) => existsSync(path), {
    error: (issue) => `${what} ${String(issue.input)} does not exist`,
  });

/**
 * Where esbuild finds one handler: its entry file, plus the folder that bounds the bundle
 * (`projectRoot`, which must contain the entry) and the lock file NodejsFunction requires.
 */
const handlerSourceSchema = z.object({
  entry: existingFile('Handler entry'),
  projectRoot: existingFile('Bundling project root'),
  depsLockFilePath: existingFile('Lock file'),
  /** Folders copied next to the bundle: files a bundled dependency reads at run time. */
  assets: z.array(z.object({ from: existingFile('Asset folder'), to: z.string().regex(/^[\w.-]+$/) })),
});
export type HandlerSource = z.infer<typeof handlerSourceSchema>;

const webSchema = z.object({
  repositoryUrl: z.url({ protocol: /^https$/ }),
  /** Secrets Manager secret holding the GitHub access token Amplify clones with. */
  accessTokenSecretName: z.string().min(1),
  branch: z.string().min(1),
});

/** Where `npm run dev -w @patchline/web` serves the web app (web/package.json). */
export const DEV_WEB_ORIGIN = 'http://localhost:3000';

/** Local web origins a developer's own `next dev` may use against a dev stage. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `https://host[:port]` (or `http://` on loopback), exactly as a browser sends it in `Origin`:
 * no path, no wildcard, no trailing slash.
 */
const webOrigin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      const isSecure =
        url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      // `new URL` takes `*` as a host character, so a wildcard host would parse.
      return isSecure && url.origin === value && !value.includes('*');
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `${String(issue.input)} is not a web origin like https://app.example.com (no "*", path or trailing slash; http only on localhost)`,
  },
);

export const configSchema = z
  .object({
    stage: z.enum(STAGES),
    /** Unset → environment-agnostic stacks (synth needs no account; deploy uses the CLI's). */
    account: z
      .string()
      .regex(/^\d{12}$/, 'account must be a 12-digit AWS account id')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region must look like us-east-1')
      .optional(),
    /** Amplify Hosting for the web app; omitted when no repository is configured. */
    web: webSchema.optional(),
    /**
     * Origins the HTTP API answers CORS for besides the hosted web app's own (which is always
     * allowed): a custom domain, or a developer's `next dev`. Exact origins only, never `*`.
     */
    corsAllowedOrigins: z.array(webOrigin),
    /** Subscribed to the alarm topic when set. */
    alarmEmail: z.email().optional(),
    /**
     * Own the region's API Gateway CloudWatch role (needed for WebSocket access logs). It is one
     * setting per account and region: turn it off in all but one stage sharing an account.
     */
    manageApiGatewayAccount: z.boolean(),
    handlers: z.object({
      connect: handlerSourceSchema,
      disconnect: handlerSourceSchema,
      message: handlerSourceSchema,
      api: handlerSourceSchema,
    }),
  })
  .refine((config) => config.web !== undefined || config.corsAllowedOrigins.length > 0, {
    path: ['corsAllowedOrigins'],
    error:
      "the REST API needs the web app's origin for CORS: deploy the web app (-c repositoryUrl=…) or set -c corsAllowedOrigins=https://…",
  });

/** Validated synth-time configuration of one Patchline deployment. */
export type PatchlineConfig = z.infer<typeof configSchema>;

/** Reads one context value (`-c key=value`, cdk.json `context`); `undefined` when absent. */
export type ContextReader = (key: string) => unknown;

/**
 * Resolves each handler through collab-server's `exports["./handlers/*"]` (its
 * `@patchline/source` condition), the one place infra names collab-server files (infra/README.md).
 */
export function defaultHandlerSources(repoRoot = REPO_ROOT): Record<HandlerName, HandlerSource> {
  const packageDir = join(repoRoot, 'collab-server');
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: Record<string, Record<string, string> | string>;
  };
  const pattern = manifest.exports?.['./handlers/*'];
  const sourcePattern = typeof pattern === 'object' ? pattern['@patchline/source'] : undefined;
  if (!sourcePattern) {
    throw new Error(
      'collab-server/package.json has no "./handlers/*" export with a "@patchline/source" path',
    );
  }
  const source = (name: HandlerName, assets: HandlerSource['assets'] = []): HandlerSource => ({
    entry: join(packageDir, sourcePattern.replace('*', name)),
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, 'package-lock.json'),
    assets,
  });
  return {
    connect: source('connect'),
    disconnect: source('disconnect'),
    message: source('message'),
    api: source('api', apiAssets(packageDir)),
  };
}

/**
 * @fastify/swagger-ui (the API's `/docs`) reads `static/` beside its own file at start-up; once
 * bundled, that is beside index.mjs. Resolved from collab-server, whose dependency it is.
 */
function apiAssets(packageDir: string): HandlerSource['assets'] {
  const require = createRequire(join(packageDir, 'package.json'));
  try {
    const swaggerUi = dirname(require.resolve('@fastify/swagger-ui/package.json'));
    return [{ from: join(swaggerUi, 'static'), to: 'static' }];
  } catch {
    return []; // the API does not serve Swagger UI (any more): nothing to copy
  }
}

// Context given with -c arrives as strings; cdk.json may hold real JSON values.
const optionalString = (value: unknown) => (value === undefined || value === '' ? undefined : value);
const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

const flag = (value: unknown) => (value === 'true' ? true : value === 'false' ? false : value);

/**
 * Builds the configuration from CDK context, falling back to `CDK_DEFAULT_ACCOUNT` /
 * `CDK_DEFAULT_REGION` (set by the CLI when credentials exist) and then to
 * environment-agnostic stacks. Throws one readable error listing every invalid key.
 *
 * @example
 * const config = loadConfig((key) => app.node.tryGetContext(key));
 */
export function loadConfig(context: ContextReader, env: NodeJS.ProcessEnv = process.env): PatchlineConfig {
  const repositoryUrl = optionalString(context('repositoryUrl'));
  const raw = {
    stage: context('stage') ?? 'dev',
    account: optionalString(context('account')) ?? optionalString(env.CDK_DEFAULT_ACCOUNT),
    region: optionalString(context('region')) ?? optionalString(env.CDK_DEFAULT_REGION),
    web:
      repositoryUrl === undefined
        ? undefined
        : {
            repositoryUrl,
            accessTokenSecretName:
              optionalString(context('accessTokenSecretName')) ?? 'patchline/amplify-github-token',
            branch: optionalString(context('branch')) ?? 'main',
          },
    corsAllowedOrigins:
      list(context('corsAllowedOrigins')) ??
      // A dev stage without hosting serves a developer's own `next dev` (web/package.json's port).
      (repositoryUrl === undefined && (context('stage') ?? 'dev') === 'dev' ? [DEV_WEB_ORIGIN] : []),
    alarmEmail: optionalString(context('alarmEmail')),
    manageApiGatewayAccount: flag(context('manageApiGatewayAccount')) ?? true,
    handlers: defaultHandlerSources(),
  };
  return parseConfig(raw);
}

/** Validates a configuration object; the error names each offending key. */
export function parseConfig(raw: unknown): PatchlineConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const missingApi = result.error.issues.some(
      (issue) => issue.path.join('.') === 'handlers.api.entry' && issue.code === 'custom',
    );
    const hint = missingApi
      ? '\nThe REST API Lambda entry (collab-server/src/handlers/api.ts, exporting `handler`) is missing: ' +
        'add it, or point `handlers.api` elsewhere in infra/lib/config.ts.'
      : '';
    throw new Error(`Invalid Patchline infra configuration:\n${z.prettifyError(result.error)}${hint}`);
  }
  return result.data;
}

/** Stage-dependent choices, kept beside the schema so the stacks only read them. */
export function stageSettings(stage: Stage) {
  const isProd = stage === 'prod';
  return {
    isProd,
    /** Retain tables and the user pool, and protect them from deletion, in prod only. */
    retainData: isProd,
    logRetentionDays: isProd ? 90 : 14,
  } as const;
}

/** `Patchline-prod-Data`; CloudFormation stack names allow letters, digits and hyphens. */
export const stackName = (stage: Stage, part: string) => `Patchline-${stage}-${part}`;
