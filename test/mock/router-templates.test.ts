import { describe, expect, it } from 'vitest';
import type { FamilyModule } from '../../mock/family-kit/family.js';
import { FamilyRegistry } from '../../mock/registry/registry.js';
import { Router } from '../../mock/registry/router.js';

// The built-in families route literal paths only; a family registered from outside may template
// its paths (`/things/{id}`) and put regex characters in its prefixes. Only what the router and
// registry read is declared here.
function family(tag: string, prefix: string, routes: Record<string, { method: string; path: string }>) {
  return {
    tag,
    seedKey: undefined,
    prefixes: [prefix],
    origins: [],
    assets: [],
    control: false,
    routes,
  } as unknown as FamilyModule;
}

const things = family('things', '/things.v1', {
  getThing: { method: 'GET', path: '/things.v1/{id}' },
  addThing: { method: 'POST', path: '/things.v1' },
});
const widgets = family('widgets', '/widgets', { listWidgets: { method: 'GET', path: '/widgets' } });

describe('a templated path', () => {
  const router = new Router([things, widgets]);

  it('is found with its parameters decoded', () => {
    expect(router.match('GET', '/things.v1/a%20b')).toMatchObject({
      kind: 'found',
      route: { operationId: 'getThing', params: { id: 'a b' } },
    });
  });

  it('answers another method with 405, allowing the methods it takes', () => {
    expect(router.match('DELETE', '/things.v1/a')).toEqual({ kind: 'method_not_allowed' });
    expect(router.allowedMethods('/things.v1/a')).toEqual(['GET', 'HEAD']);
    expect(router.match('GET', '/elsewhere/a')).toEqual({ kind: 'not_found' });
  });

  it('belongs to the family whose prefix has regex characters, read literally', () => {
    expect(router.familyOf('/things.v1/a')?.tag).toBe('things');
    expect(router.familyOf('/thingsXv1/a')).toBeUndefined();
  });
});

describe('a family registry', () => {
  it('takes several families without a seed section, finds each by tag and lists their operations', () => {
    const registry = new FamilyRegistry([things, widgets]);
    expect(registry.find('widgets')).toBe(widgets);
    expect(registry.find('nothing')).toBeUndefined();
    expect(registry.familyOperationIds()).toEqual(['getThing', 'addThing', 'listWidgets']);
    const control = { ...widgets, tag: 'control', control: true } as FamilyModule;
    expect(new FamilyRegistry([things, control]).familyOperationIds()).toEqual(['getThing', 'addThing']);
  });
});
