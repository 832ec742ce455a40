import * as assert from 'node:assert/strict';
import { CLINICAL_TYPES } from '../../../src/core/fhir/resourceTypes';
import { formatSearchQuery, parseSearchQuery, searchCompletions, searchRows } from '../../../src/core/fhir/searchQuery';

describe('one-step search: Type?query', () => {
  it('reads the type and every parameter, in order, values as typed', () => {
    assert.deepEqual(parseSearchQuery('Observation?code=8867-4&_count=50', 'r4'), { type: 'Observation', params: [['code', '8867-4'], ['_count', '50']] });
    assert.deepEqual(parseSearchQuery('  Patient  ', 'r4'), { type: 'Patient', params: [] });
    // a value with a plus (a time zone) keeps it; a percent-encoded one (copied from a URL) is decoded once
    assert.deepEqual(parseSearchQuery('Observation?date=ge2024-01-01T00:00:00+01:00&code=http%3A%2F%2Floinc.org%7C8867-4', 'r4'),
      { type: 'Observation', params: [['date', 'ge2024-01-01T00:00:00+01:00'], ['code', 'http://loinc.org|8867-4']] });
    assert.deepEqual(parseSearchQuery('https://api.1up.health/fhir/r4/Condition?patient=p1', 'r4'), { type: 'Condition', params: [['patient', 'p1']] });
    assert.equal(formatSearchQuery({ type: 'Observation', params: [['code', '8867-4'], ['_count', '50']] }), 'Observation?code=8867-4&_count=50');
  });

  it('says what is wrong instead of sending it', () => {
    assert.match((parseSearchQuery('observation?code=1', 'r4') as { error: string }).error, /case-sensitive: Observation/);
    assert.match((parseSearchQuery('MedicationOrder', 'r4') as { error: string }).error, /not a FHIR R4 resource type/);
    assert.ok('type' in parseSearchQuery('MedicationOrder', 'dstu2'));
    assert.match((parseSearchQuery('Observation?code', 'r4') as { error: string }).error, /name=value/);
    assert.match((parseSearchQuery('Observation?_count=500', 'r4') as { error: string }).error, /1 to 100/);
    assert.match((parseSearchQuery('', 'r4') as { error: string }).error, /Observation\?code=8867-4/);
  });

  it('completes types until the ?, then parameter names of that type not given yet', () => {
    const common = CLINICAL_TYPES.r4;
    assert.deepEqual(searchCompletions('', 'r4', common).slice(0, 3).map((c) => c.kind === 'type' && c.type), ['Patient', 'Encounter', 'Condition']);
    const obs = searchCompletions('Obs', 'r4', common);
    assert.deepEqual(obs[0], { kind: 'type', type: 'Observation' });
    const params = searchCompletions('Observation?code=8867-4&', 'r4', common);
    assert.ok(params.every((c) => c.kind === 'parameter' && c.insert.startsWith('Observation?code=8867-4&') && c.insert.endsWith('=')));
    assert.ok(!params.some((c) => c.kind === 'parameter' && c.name === 'code'), 'a parameter already given is not offered again');
    assert.ok(params.some((c) => c.kind === 'parameter' && c.name === '_count'));
    const da = searchCompletions('Observation?da', 'r4', common);
    assert.deepEqual(da.map((c) => c.kind === 'parameter' && c.insert), ['Observation?date=']);
    const example = searchCompletions('Observation?date=', 'r4', common);
    assert.match(example[0].kind === 'parameter' ? example[0].example ?? '' : '', /ge2024/);
  });

  it('while a parameter name is being typed, offers its completion first and keeps the problem out of the way', () => {
    const common = CLINICAL_TYPES.r4;
    const kinds = (text: string, recent: string[] = []) => searchRows(text, 'r4', recent, common).map((r) => r.kind);
    // "co" could become code: Enter must fill it in, not land on "not a name=value search parameter"
    const typing = searchRows('Observation?co', 'r4', [], common);
    assert.equal(typing[0].kind, 'completion');
    const first = typing[0].kind === 'completion' ? typing[0].completion : undefined;
    assert.ok(first?.kind === 'parameter' && first.name === 'code' && first.insert === 'Observation?code=', JSON.stringify(first));
    assert.equal(typing.at(-1)!.kind, 'problem');
    // nothing can finish it: the problem comes first, so the user reads why Enter does nothing
    assert.deepEqual(kinds('Observation?zzz'), ['problem']);
    // a search that parses comes first, then recent searches, then completions
    assert.deepEqual(kinds('Observation?code=8867-4', ['Observation?code=8867-4&_count=5']), ['run', 'recent']);
    assert.equal(kinds('Obs')[0], 'completion');
  });
});
