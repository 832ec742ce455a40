import * as assert from 'node:assert/strict';
import { toHealthSystems, withShowableLogos } from '../../../src/core/render/healthSystems';
import { isOnOrigin, isShowableImage } from '../../../src/core/render/urls';

describe('health systems', () => {
  it('reads the connect/system/clinical list', () => {
    const systems = toHealthSystems([
      { id: 4706, name: 'Epic (demo)', logo: 'https://api.1up.health/logos/epic.png', status: 'live', api_version: 'r4', locations: [{ name: 'Main', address: { line: ['1 Main St'], city: 'Boston', state: 'MA', postalCode: '02118' } }] },
      { id: 12, name: '' },
      { name: 'No id' },
    ]);
    assert.deepEqual(systems, [{ id: '4706', name: 'Epic (demo)', logoUrl: 'https://api.1up.health/logos/epic.png', address: '1 Main St, Boston, MA 02118', status: 'live', apiVersion: 'r4' }]);
  });

  it('reads a provider-search Bundle of Organizations with the 1up id and logo in extensions', () => {
    const systems = toHealthSystems({
      resourceType: 'Bundle',
      entry: [{ resource: {
        resourceType: 'Organization', id: 'org-1', name: 'Cerner Health',
        address: [{ city: 'Kansas City', state: 'MO' }],
        extension: [
          { url: 'https://1up.health/fhir/StructureDefinition/health-system-id', valueString: '8364' },
          { url: 'https://1up.health/fhir/StructureDefinition/logo', valueUrl: 'data:image/png;base64,AAAA' },
          { url: 'https://1up.health/fhir/StructureDefinition/status', valueString: 'beta' },
        ],
      } }, { resource: { resourceType: 'Organization', id: 'org-2', name: 'Plain' } }],
    });
    assert.deepEqual(systems, [
      { id: '8364', name: 'Cerner Health', logoUrl: 'data:image/png;base64,AAAA', address: 'Kansas City, MO', status: 'beta' },
      { id: 'org-2', name: 'Plain' },
    ]);
    assert.deepEqual(toHealthSystems('nonsense'), []);
  });

  it('keeps only logos the webview may load: data: images or the environment\'s origin', () => {
    const out = withShowableLogos([
      { id: '1', name: 'a', logoUrl: 'https://api.1up.health/l.png' },
      { id: '2', name: 'b', logoUrl: 'https://cdn.example/l.png' },
      { id: '3', name: 'c', logoUrl: 'javascript:alert(1)' },
      { id: '4', name: 'd', logoUrl: 'data:image/png;base64,AA' },
    ], 'https://api.1up.health');
    assert.deepEqual(out.map((s) => s.logoUrl), ['https://api.1up.health/l.png', undefined, undefined, 'data:image/png;base64,AA']);
    assert.ok(!isShowableImage('data:text/html;base64,AA', 'https://api.1up.health'));
  });

  it('compares origins exactly: scheme, host and port, no credentials', () => {
    assert.ok(isOnOrigin('https://api.1up.health/fhir/r4/Patient?_count=10', 'https://api.1up.health/fhir'));
    assert.ok(!isOnOrigin('http://api.1up.health/fhir', 'https://api.1up.health'));
    assert.ok(!isOnOrigin('https://api.1up.health.evil.example/', 'https://api.1up.health'));
    assert.ok(!isOnOrigin('https://user:pw@api.1up.health/', 'https://api.1up.health'));
    assert.ok(!isOnOrigin('http://127.0.0.1:4124/', 'http://127.0.0.1:4123'));
    assert.ok(!isOnOrigin('javascript:alert(1)', 'https://api.1up.health'));
    assert.ok(!isOnOrigin('https://api.1up.health/', undefined));
  });
});
