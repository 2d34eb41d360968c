import { describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../lib/runtime-config';
import { contentSecurityPolicy, newNonce } from '../lib/security-headers';

const directives = (policy: string) =>
  new Map(policy.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1)]));

describe(contentSecurityPolicy.name, () => {
  it('lets the local stack through: http API, ws gateway, cognito-local, nothing upgraded', () => {
    const config = runtimeConfigFromEnv({
      PATCHLINE_COGNITO_ENDPOINT: 'http://127.0.0.1:9229/',
    });
    const policy = directives(contentSecurityPolicy(config, 'abc', { isDev: false }));
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:4000',
      'ws://127.0.0.1:4001',
      'http://127.0.0.1:9229',
    ]);
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it('on AWS: wss gateway, the region’s Cognito, https only', () => {
    const config = runtimeConfigFromEnv({
      PATCHLINE_API_URL: 'https://api.example.com/prod/',
      PATCHLINE_WEBSOCKET_URL: 'wss://ws.example.com/prod',
      PATCHLINE_WEB_URL: 'https://patchline.example.com',
      PATCHLINE_REGION: 'eu-west-1',
    });
    const policy = directives(contentSecurityPolicy(config, 'abc', { isDev: false }));
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'https://api.example.com',
      'wss://ws.example.com',
      'https://cognito-idp.eu-west-1.amazonaws.com',
    ]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(true);
  });

  it('allows eval only for next dev', () => {
    const config = runtimeConfigFromEnv({});
    expect(directives(contentSecurityPolicy(config, 'n', { isDev: true })).get('script-src')).toContain(
      "'unsafe-eval'",
    );
  });
});

describe(newNonce.name, () => {
  it('is 128 random bits, base64, different each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
