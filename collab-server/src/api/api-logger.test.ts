import { describe, expect, it } from 'vitest';
import { redactingLog, redactShareTokens } from './api-logger.js';

const TOKEN = 'q2Xv0pLr9sT8uWyZ1aBcDeFgHiJkLmNoPqRsTuVwXyZ';

describe(redactShareTokens.name, () => {
  it.each([
    [`/share-links/${TOKEN}/redeem`, '/share-links/[redacted]/redeem'],
    [`/share-links/${TOKEN}/preview?from=mail`, '/share-links/[redacted]/preview?from=mail'],
    [
      `Route POST://share-links/${TOKEN}/redeem/ not found`,
      'Route POST://share-links/[redacted]/redeem not found',
    ],
    [
      `Route POST:/SHARE-LINKS/${TOKEN}/REDEEM not found`,
      'Route POST:/SHARE-LINKS/[redacted]/REDEEM not found',
    ],
    [`/share-links/${TOKEN}%2Fx/redeem`, '/share-links/[redacted]/redeem'],
    [`http://127.0.0.1:3000/share/${TOKEN}`, 'http://127.0.0.1:3000/share/[redacted]'],
    [`{"url":"/share/${TOKEN}#top","msg":"x"}`, '{"url":"/share/[redacted]#top","msg":"x"}'],
    ['/releases/r1/share-links/l1abc', '/releases/r1/share-links/[redacted]'],
  ])('%s → %s', (text, redacted) => {
    expect(redactShareTokens(text)).toBe(redacted);
  });

  it('leaves paths without a token alone', () => {
    for (const text of ['/releases/r1/share-links', '/shared/x', '/share-linksx/y', '/health', 'share-links'])
      expect(redactShareTokens(text)).toBe(text);
  });
});

describe(redactingLog.name, () => {
  it('redacts the message and the details the services log (deps.log)', () => {
    const written: unknown[] = [];
    const log = redactingLog((message, details) => written.push([message, details]));
    log(`redeemed /share/${TOKEN}`, {
      url: `/share-links/${TOKEN}/redeem`,
      nested: { urls: [`/share/${TOKEN}`] },
    });
    log('plain');
    expect(written).toEqual([
      [
        'redeemed /share/[redacted]',
        { url: '/share-links/[redacted]/redeem', nested: { urls: ['/share/[redacted]'] } },
      ],
      ['plain', undefined],
    ]);
    expect(JSON.stringify(written)).not.toContain(TOKEN);
  });
});
