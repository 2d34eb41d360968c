import { type DdexSettings, LOCAL_DDEX_SETTINGS } from '@patchline/shared';
import { createCollabDeps, type ServiceConfig } from '../core/create-collab-deps.js';
import type { ApiDeps } from '../services/api-deps.js';
import { createCognitoDirectory } from '../services/user-directory.js';

export interface ApiConfig extends ServiceConfig {
  webUrl: string;
  /** Local mode only: cognito-local's endpoint for the admin API. */
  cognitoEndpoint?: string;
  /** The label's DDEX settings; the local placeholders when not given. */
  ddex?: DdexSettings;
}

export async function createApiDeps(config: ApiConfig): Promise<ApiDeps> {
  return {
    ...(await createCollabDeps(config)),
    directory: createCognitoDirectory({
      userPoolId: config.userPoolId,
      region: config.region,
      ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
    }),
    webUrl: config.webUrl,
    ddex: config.ddex ?? LOCAL_DDEX_SETTINGS,
  };
}
