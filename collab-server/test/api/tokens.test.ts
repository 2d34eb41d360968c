import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cognitoLocalKey,
  decodeJwt,
  type JwtPart,
  signJwt,
  strangerKey,
  unsignedJwt,
} from '../support/forge-token.js';
import { signIn } from '../support/sign-in.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * Forged and wrong tokens on the REST API (permissions/SPEC.md: signature, issuer, audience, `token_use`,
 * expiry). Each forged token starts from the demo editor's real ID token and breaks exactly one
 * thing; those with a wrong claim are signed with cognito-local's own key, so the signature is
 * valid and only the claim can be what the API refuses. A control re-signs the unchanged claims
 * with that key and must pass.
 */
let stack: TestStack;
let real: { header: JwtPart; payload: JwtPart };
let idToken: string;
let accessToken: string;
/** The pool's public key as PEM, as an attacker would read it from the JWKS. */
let publicPem: string;

beforeAll(async () => {
  const started = await startTestStack({ workers: 2 });
  stack = started.stack;
  const demo = stack.config.demo!;
  const session = await signIn(stack.config, demo.accounts.editor, demo.password);
  idToken = session.getIdToken().getJwtToken();
  accessToken = session.getAccessToken().getJwtToken();
  real = decodeJwt(idToken);
  const jwks = (await (await fetch(`${stack.config.cognito.issuer}/.well-known/jwks.json`)).json()) as {
    keys: JsonWebKey[];
  };
  const jwk = jwks.keys.find((key) => key.kid === real.header.kid)!;
  publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  return started.teardown;
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** The editor's claims with `changes` applied, signed with cognito-local's real key. */
const resigned = (changes: JwtPart) =>
  signJwt(real.header, { ...real.payload, ...changes }, cognitoLocalKey());

async function call(path: string, authorization?: string) {
  const response = await fetch(`${stack.config.apiUrl}${path}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: text };
}

describe('token verification on protected routes', () => {
  it('control: the real ID token, and its claims re-signed with the pool key, are accepted', async () => {
    expect((await call('/me', `Bearer ${idToken}`)).status).toBe(200);
    const control = await call('/me', `Bearer ${resigned({})}`);
    expect(control.status).toBe(200);
    expect(JSON.parse(control.body)).toMatchObject({ userId: real.payload.sub, email: real.payload.email });
  });

  const forged: Array<[string, () => string | undefined, string?]> = [
    ['no Authorization header', () => undefined, 'missing-token'],
    ['an empty Bearer', () => 'Bearer ', 'missing-token'],
    [
      'the Basic scheme',
      () => `Basic ${Buffer.from('editor@demo.patchline.test:Patchline-demo-1').toString('base64')}`,
      'missing-token',
    ],
    ['a real ID token under the Basic scheme', () => `Basic ${idToken}`, 'missing-token'],
    ['garbage', () => 'Bearer not-a-token'],
    ['three garbage segments', () => 'Bearer aaa.bbb.ccc'],
    ['alg: none, no signature', () => `Bearer ${unsignedJwt({ ...real.header, alg: 'none' }, real.payload)}`],
    [
      'alg: none keeping the real signature',
      () => `Bearer ${unsignedJwt({ ...real.header, alg: 'none' }, real.payload)}${idToken.split('.')[2]}`,
    ],
    ['alg: HS256 keyed with the public key (algorithm confusion)', () => `Bearer ${hs256Forgery()}`],
    [
      'a stranger RSA key under the real kid',
      () => `Bearer ${signJwt(real.header, real.payload, strangerKey())}`,
    ],
    [
      'real claims with an admin group added, stranger key',
      () =>
        `Bearer ${signJwt(real.header, { ...real.payload, 'cognito:groups': ['admins'] }, strangerKey())}`,
    ],
    [
      'a tampered payload under the real signature',
      () => {
        const [header, , signature] = idToken.split('.');
        const payload = Buffer.from(
          JSON.stringify({ ...real.payload, 'cognito:groups': ['admins'] }),
        ).toString('base64url');
        return `Bearer ${header}.${payload}.${signature}`;
      },
    ],
    [
      'another pool (issuer)',
      () => `Bearer ${resigned({ iss: `${stack.config.cognito.endpoint}/local_another` })}`,
    ],
    ['another app client (audience)', () => `Bearer ${resigned({ aud: 'some-other-client-id' })}`],
    ['an access token instead of an ID token', () => `Bearer ${accessToken}`],
    ['token_use: access on ID claims', () => `Bearer ${resigned({ token_use: 'access' })}`],
    [
      'an expired ID token',
      () => `Bearer ${resigned({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })}`,
      'expired-token',
    ],
    ['an ID token with no subject', () => `Bearer ${resigned({ sub: undefined })}`],
  ];

  it.each(forged)('%s → 401 with a JSON { error, message }', async (_name, forge, reason) => {
    const authorization = forge();
    for (const path of ['/me', '/releases', '/admin/users', `/releases/${stack.demoReleaseId}`]) {
      const response = await call(path, authorization);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.type).toContain('application/json');
      const body = JSON.parse(response.body) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['error', 'message']);
      expect(body).toEqual({ error: reason ?? 'invalid-token', message: expect.any(String) });
    }
  });

  it('a 401 comes before validation and lookups: it reveals nothing about ids', async () => {
    const bad = 'Bearer not-a-token';
    const known = await call(`/releases/${stack.demoReleaseId}/members`, bad);
    const invalid = await call('/releases/not.an.id/members', bad);
    expect([known.status, invalid.status]).toEqual([401, 401]);
    expect(JSON.parse(known.body)).toEqual(JSON.parse(invalid.body));
  });
});

/** HS256 with the pool's RSA public key as the HMAC secret: the classic algorithm confusion. */
function hs256Forgery(): string {
  const header = Buffer.from(JSON.stringify({ ...real.header, alg: 'HS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(real.payload)).toString('base64url');
  const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
