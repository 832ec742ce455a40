import * as assert from 'node:assert/strict';
import { indexEntries, resolveReference } from '../../../src/core/render/references';
import { synthea } from './fixtures';

describe('following references', () => {
  const bundle = synthea('r4');
  const entries = indexEntries(bundle);
  const base = 'https://api.1up.health/fhir/r4';

  it('finds urn:uuid references among the Bundle entries', () => {
    const patientKey = bundle.entry!.findIndex((e) => e.resource?.resourceType === 'Patient');
    assert.deepEqual(resolveReference(`urn:uuid:${bundle.entry![patientKey].resource!.id}`, { version: 'r4', entries }), { kind: 'entry', key: patientKey });
    assert.deepEqual(resolveReference(`Patient/${bundle.entry![patientKey].resource!.id}`, { version: 'r4', entries }), { kind: 'entry', key: patientKey });
  });

  it('reads Type/id (and absolute ones under the environment\'s FHIR base) from the server', () => {
    assert.deepEqual(resolveReference('Practitioner/abc-1', { version: 'r4', entries }), { kind: 'remote', type: 'Practitioner', id: 'abc-1' });
    assert.deepEqual(resolveReference(`${base}/Organization/o.9/_history/2`, { version: 'r4', fhirBase: base }), { kind: 'remote', type: 'Organization', id: 'o.9' });
  });

  it('finds #contained resources in the current resource', () => {
    const current = { resourceType: 'ExplanationOfBenefit', contained: [{ resourceType: 'Coverage', id: 'coverage' }] };
    assert.deepEqual(resolveReference('#coverage', { version: 'r4', current }), { kind: 'contained', resource: current.contained[0] });
    assert.equal(resolveReference('#nope', { version: 'r4', current }).kind, 'unresolvable');
  });

  it('never fetches from elsewhere: other hosts, other schemes, malformed or unknown types', () => {
    for (const ref of [
      'https://evil.example/fhir/r4/Patient/1', `${base}/../../x/Patient/1`, 'javascript:alert(1)//Patient/1',
      'urn:uuid:not-in-bundle', 'Patient/../../admin', 'Patient/a b', 'NotAType/1', 'MedicationOrder/1',
      `${base}Patient/1`, 'http://api.1up.health/fhir/r4/Patient/1',
    ]) {
      assert.equal(resolveReference(ref, { version: 'r4', entries, fhirBase: base }).kind, 'unresolvable', ref);
    }
    assert.equal(resolveReference('MedicationOrder/1', { version: 'dstu2' }).kind, 'remote');
  });
});
