import { describe, expect, it } from 'vitest';
import { clientKeyOf } from './api-limits.js';

describe('clientKeyOf', () => {
  it('keeps an IPv4 address, also when the socket reports it IPv4-mapped', () => {
    expect(clientKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 client by its /64, however the address is written', () => {
    const key = '2001:db8:0:42::/64';
    for (const address of [
      '2001:db8:0:42::1',
      '2001:0db8:0000:0042:ffff:ffff:ffff:ffff',
      '2001:DB8::42:0:0:0:9',
      '2001:db8:0:42:1::',
    ]) {
      expect(clientKeyOf(address)).toBe(key);
    }
    expect(clientKeyOf('2001:db8:0:43::1')).not.toBe(key);
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
  });
});
