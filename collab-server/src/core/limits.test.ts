import { describe, expect, it } from 'vitest';
import { readCollabLimits } from './limits.js';

describe(readCollabLimits.name, () => {
  it('takes known limits as positive whole numbers', () => {
    expect(readCollabLimits('{"maxConnectionsPerUser": 200}')).toEqual({ maxConnectionsPerUser: 200 });
  });

  it.each([
    ['not JSON', '{maxConnectionsPerUser: 2}'],
    ['not an object', '[1]'],
    ['an unknown name', '{"maxConnectionPerUser": 2}'],
    ['a string', '{"maxConnectionsPerUser": "2"}'],
    ['zero', '{"maxMessagesPerSecond": 0}'],
    ['a fraction', '{"messageBurst": 1.5}'],
  ])('refuses %s', (_, json) => {
    expect(() => readCollabLimits(json)).toThrow();
  });
});
