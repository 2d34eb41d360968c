import { describe, expect, it } from 'vitest';
import { portsFromEnv } from './env-ports.js';

describe(portsFromEnv.name, () => {
  it('reads the ports that are set and leaves the others to the defaults', () => {
    expect(portsFromEnv({ PATCHLINE_GATEWAY_PORT: '5001', PATCHLINE_COGNITO_PORT: '' })).toEqual({
      gateway: 5001,
    });
  });

  it('refuses a value that is not a port', () => {
    expect(() => portsFromEnv({ PATCHLINE_DYNAMODB_PORT: '80OO' })).toThrow(/PATCHLINE_DYNAMODB_PORT/);
    expect(() => portsFromEnv({ PATCHLINE_DYNAMODB_PORT: '70000' })).toThrow(RangeError);
  });
});
