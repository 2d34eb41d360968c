import { createHash, createHmac, getDiffieHellman, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../lib/runtime-config';
import { CognitoSession } from '../lib/session';

/**
 * `CognitoSession` against a Cognito stand-in: the SRP sign-in, sign-out's revocation, and the
 * session shared between tabs (Node's own BroadcastChannel, as in a browser).
 *
 * The SRP sign-in the web app uses on AWS (the production app client allows SRP only, infra
 * user-pool.ts). No AWS account is reachable from here and cognito-local has no SRP, so this
 * runs against a stand-in for Cognito's `InitiateAuth(USER_SRP_AUTH)` → `PASSWORD_VERIFIER`
 * exchange that does the server half of Cognito's SRP-6a itself, with Node's own big integers,
 * RFC 3526's 3072-bit group (Node's `modp15`) and a verifier made from the password: a sign-in
 * succeeds only when the browser code proves the password without sending it. What this cannot
 * show is that real Cognito accepts it (not run here).
 */

const POOL_ID = 'us-east-1_SrpTestPool';
const CLIENT_ID = 'srp-test-client';
const EMAIL = 'srp@example.test';
const PASSWORD = 'Correct-horse-9!';
/** Cognito answers USER_ID_FOR_SRP with the user's internal name, not the email. */
const USER_ID = 'f3a8c2d0-0000-4000-8000-00000000srp1';

const N = BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`);
const g = 2n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Even-length hex with a leading 00 when the top bit is set (SRP's unsigned big-endian bytes). */
function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}
const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const hashHexes = (...hexes: string[]) => BigInt(`0x${sha256Hex(Buffer.from(hexes.join(''), 'hex'))}`);

const poolName = POOL_ID.split('_')[1]!;
const k = hashHexes(padHex(N), padHex(g));
const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
/** x = H(salt | H(poolName | userId | ":" | password)), as Cognito stores the verifier. */
const x = hashHexes(padHex(salt), sha256Hex(Buffer.from(`${poolName}${USER_ID}:${PASSWORD}`, 'utf8')));
const verifier = modPow(g, x, N);

function hkdf(ikm: Buffer, saltBytes: Buffer): Buffer {
  const prk = createHmac('sha256', saltBytes).update(ikm).digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"none"}', JSON.stringify(claims)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + '.sig';

interface Call {
  operation: string;
  body: Record<string, unknown>;
}

/** The stand-in: one SRP exchange at a time, every call recorded. */
function srpCognito() {
  const calls: Call[] = [];
  let pending: { A: bigint; b: bigint; B: bigint; secretBlock: string } | null = null;
  const refuse = (message: string) => ({ status: 400, body: { __type: 'NotAuthorizedException', message } });

  function answer({ operation, body }: Call): { status: number; body: unknown } {
    const params = (body.AuthParameters ?? body.ChallengeResponses ?? {}) as Record<string, string>;
    if (operation === 'InitiateAuth' && body.AuthFlow === 'USER_SRP_AUTH' && params.USERNAME === EMAIL) {
      const A = BigInt(`0x${params.SRP_A}`);
      if (A % N === 0n) return refuse('bad SRP_A');
      const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
      const B = (k * verifier + modPow(g, b, N)) % N;
      pending = { A, b, B, secretBlock: randomBytes(64).toString('base64') };
      return {
        status: 200,
        body: {
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: 'srp-session',
          ChallengeParameters: {
            USER_ID_FOR_SRP: USER_ID,
            SRP_B: B.toString(16),
            SALT: salt.toString(16),
            SECRET_BLOCK: pending.secretBlock,
          },
        },
      };
    }
    if (operation === 'RespondToAuthChallenge' && body.ChallengeName === 'PASSWORD_VERIFIER' && pending) {
      const { A, b, B, secretBlock } = pending;
      pending = null;
      const u = hashHexes(padHex(A), padHex(B));
      const S = modPow(A * modPow(verifier, u, N), b, N);
      const key = hkdf(Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'));
      const expected = createHmac('sha256', key)
        .update(
          Buffer.concat([
            Buffer.from(poolName),
            Buffer.from(USER_ID),
            Buffer.from(secretBlock, 'base64'),
            Buffer.from(params.TIMESTAMP ?? ''),
          ]),
        )
        .digest('base64');
      if (params.USERNAME !== USER_ID || params.PASSWORD_CLAIM_SIGNATURE !== expected) {
        return refuse('Incorrect username or password.');
      }
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const iat = exp - 3600;
      return {
        status: 200,
        body: {
          AuthenticationResult: {
            IdToken: jwt({ sub: USER_ID, email: EMAIL, name: 'Sam SRP', exp, iat, token_use: 'id' }),
            AccessToken: jwt({ sub: USER_ID, exp, iat, token_use: 'access', origin_jti: 'o1' }),
            RefreshToken: 'opaque-refresh-token',
          },
        },
      };
    }
    if (operation === 'RevokeToken') return { status: 200, body: {} };
    return { status: 400, body: { __type: 'InvalidParameterException', message: `unexpected ${operation}` } };
  }

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const call = { operation: target.split('.').pop() ?? '', body: JSON.parse(raw || '{}') };
      calls.push(call);
      const { status, body } = answer(call);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'access-control-allow-origin': '*',
      });
      response.end(JSON.stringify(body));
    });
  });
  return { server, calls };
}

describe('SRP sign-in (USER_SRP_AUTH), as on AWS', () => {
  const { server, calls } = srpCognito();
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    calls.length = 0;
  });

  const session = () =>
    new CognitoSession(
      { userPoolId: POOL_ID, clientId: CLIENT_ID, cognitoEndpoint: endpoint, authFlow: 'USER_SRP_AUTH' },
      { shareWithTabs: false },
    );

  it('proves the password without sending it, and signs in', async () => {
    const cognito = session();
    await expect(cognito.signIn(EMAIL, PASSWORD)).resolves.toBe('signed-in');
    expect(cognito.getSnapshot()).toEqual({
      status: 'signed-in',
      user: { sub: USER_ID, email: EMAIL, name: 'Sam SRP', groups: [] },
    });
    expect(calls.map((call) => call.operation)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(calls[0]!.body).toMatchObject({ AuthFlow: 'USER_SRP_AUTH', ClientId: CLIENT_ID });
    expect(JSON.stringify(calls)).not.toContain(PASSWORD);
    cognito.dispose();
  });

  it('is refused with the wrong password, and stays signed out', async () => {
    const cognito = session();
    await expect(cognito.signIn(EMAIL, 'Wrong-horse-9!')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect email or password.',
    });
    expect(cognito.getSnapshot().status).toBe('loading');
    expect(JSON.stringify(calls)).not.toContain('Wrong-horse-9!');
    cognito.dispose();
  });

  /** A tab's sessionStorage. */
  const tabStorage = () => {
    const items = new Map<string, string>();
    return {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
      clear: () => items.clear(),
      keys: () => [...items.keys()],
    };
  };
  const tab = (storage = tabStorage(), tabWaitMs?: number) =>
    new CognitoSession(
      { userPoolId: POOL_ID, clientId: CLIENT_ID, cognitoEndpoint: endpoint, authFlow: 'USER_SRP_AUTH' },
      { storage, shareWithTabs: true, tabWaitMs },
    );

  it('hands the session to a tab opened later, and signs every tab out together', async () => {
    const first = tab();
    await first.signIn(EMAIL, PASSWORD);
    const laterStorage = tabStorage();
    const later = tab(laterStorage);
    const callsBefore = calls.length;
    await later.restore();
    expect(later.getSnapshot()).toEqual(first.getSnapshot());
    expect(await later.getIdToken()).toBe(await first.getIdToken());
    expect(calls.length).toBe(callsBefore);

    const signedOut = new Promise<void>((resolve) => later.subscribe(resolve));
    await first.signOut();
    await signedOut;
    expect(later.getSnapshot().status).toBe('signed-out');
    expect(laterStorage.keys().filter((key) => /Token$/.test(key))).toEqual([]);
    first.dispose();
    later.dispose();
  });

  it('keeps a sign-in made while the page was still asking other tabs for a session', async () => {
    // No other tab answers; the wait outlasts the sign-in, so the sign-in lands mid-restore.
    const page = tab(tabStorage(), 2_000);
    const restoring = page.restore();
    await page.signIn(EMAIL, PASSWORD);
    await restoring;
    expect(page.getSnapshot().status).toBe('signed-in');
    page.dispose();
  });

  it('revokes the refresh token at the pool’s endpoint on sign-out', async () => {
    const cognito = session();
    await cognito.signIn(EMAIL, PASSWORD);
    await cognito.signOut();
    expect(calls.at(-1)).toEqual({
      operation: 'RevokeToken',
      body: { Token: 'opaque-refresh-token', ClientId: CLIENT_ID },
    });
    expect(cognito.getSnapshot().status).toBe('signed-out');
    cognito.dispose();
  });
});

describe(runtimeConfigFromEnv.name, () => {
  it('signs in with SRP on AWS and with USER_PASSWORD_AUTH against cognito-local', () => {
    const pool = { PATCHLINE_USER_POOL_ID: POOL_ID, PATCHLINE_CLIENT_ID: CLIENT_ID };
    expect(runtimeConfigFromEnv(pool).authFlow).toBe('USER_SRP_AUTH');
    expect(
      runtimeConfigFromEnv({ ...pool, PATCHLINE_COGNITO_ENDPOINT: 'http://127.0.0.1:9229' }).authFlow,
    ).toBe('USER_PASSWORD_AUTH');
  });
});
