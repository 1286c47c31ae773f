import { describe, expect, it } from 'vitest';
import { billing, creditSend, reseller, whiteLabel } from '../../mock/families/index.js';
import { Router } from '../../mock/registry/router.js';

// The four public families only: the control API's `/_mock` is no native path.
const router = new Router([whiteLabel, reseller, creditSend, billing]);

describe('the family of a native path', () => {
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
    expect(router.familyOf(path)?.tag).toBe(family);
  });
});
