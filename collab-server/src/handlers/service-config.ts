import type { ServiceConfig } from '../core/create-collab-deps.js';
import { readCollabLimits } from '../core/limits.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

/** The entry points' configuration, from the environment (Lambda or the local stack). */
export function serviceConfigFromEnv(): ServiceConfig {
  const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
  const localIssuer = process.env.COGNITO_LOCAL_ISSUER;
  const limits = process.env.COLLAB_LIMITS;
  return {
    tableName: required('TABLE_NAME'),
    region: process.env.AWS_REGION ?? 'us-east-1',
    userPoolId: required('COGNITO_USER_POOL_ID'),
    clientId: required('COGNITO_CLIENT_ID'),
    managementEndpoint: required('WS_MANAGEMENT_ENDPOINT'),
    ...(dynamoEndpoint ? { dynamoEndpoint } : {}),
    ...(localIssuer ? { localIssuer } : {}),
    ...(limits ? { limits: readCollabLimits(limits) } : {}),
  };
}
