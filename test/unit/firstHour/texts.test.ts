import * as assert from 'node:assert/strict';
import { countChanges, newDataText } from '../../../src/core/render/newData';
import { plainText } from '../../../src/core/util/plainText';

describe('texts a user reads', () => {
  it('"Check for New Data" counts what is new per type: the parts add up to the total', () => {
    // what 1upHealth answers as totals: shared Organizations and Practitioners are in every user's counts
    const before = { Observation: 52, Organization: 52, Practitioner: 52, Condition: 3 };
    const after = { Observation: 92, Organization: 52, Practitioner: 52, Condition: 6, Encounter: 23 };
    const { added, changes } = countChanges(before, after);
    assert.equal(added, 66);
    assert.deepEqual(changes.map((c) => c.type), ['Observation', 'Encounter', 'Condition']);
    const text = newDataText(added, changes);
    assert.equal(text, '66 new resources: Observation +40 · Encounter +23 · Condition +3.');
    const parts = [...text.matchAll(/\+(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(parts, added);
    assert.equal(newDataText(0, []), 'No new resources yet.');
    const fewer = countChanges({ Claim: 3 }, { Claim: 2, Observation: 1 });
    assert.equal(newDataText(fewer.added, fewer.changes), '1 new resource: Observation +1. Fewer than before: Claim −1.');
  });

  it('plain-text messages show no Markdown backticks', () => {
    assert.equal(plainText('raise the `oneup.requestTimeoutSeconds` setting, or check `http.proxy`'), 'raise the “oneup.requestTimeoutSeconds” setting, or check “http.proxy”');
    assert.equal(plainText('no code here'), 'no code here');
  });
});
