import { describe, expect, it } from 'vitest';
import { familyOfNativePath } from '../../src/spec/router.js';

describe('familyOfNativePath', () => {
  it.each([
    ['/api/white-label/transfer', 'white-label'],
    ['/api/user/me', 'white-label'],
    ['/api/v1/reseller/credits/transfer', 'reseller'],
    ['/user/login', 'credit-send'],
    ['/credits/send', 'credit-send'],
    ['/api/v1/billing/wallet', 'billing'],
    ['/proxy/api/v1/billing/wallet', 'billing'],
    ['/_mock/state', undefined],
    ['/api/v1/billingx', undefined],
  ])('%s -> %s', (path, family) => {
    expect(familyOfNativePath(path)).toBe(family);
  });
});
