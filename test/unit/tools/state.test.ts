import * as assert from 'node:assert/strict';
import { Confirmations, PageCursors, RecentToolCalls } from '../../../src/core/tools/state';

describe('tool state', () => {
  it('a confirmation is taken once, for the same tool, environment and input (in any key order)', () => {
    const c = new Confirmations();
    c.note('oneup_searchFhir', 'Prod', { type: 'Patient', count: 2 });
    assert.equal(c.take('oneup_searchFhir', 'Staging', { type: 'Patient', count: 2 }), false, 'another environment');
    assert.equal(c.take('oneup_readResource', 'Prod', { type: 'Patient', count: 2 }), false, 'another tool');
    assert.equal(c.take('oneup_searchFhir', 'Prod', { type: 'Patient', count: 3 }), false, 'another input');
    assert.equal(c.take('oneup_searchFhir', 'Prod', { count: 2, type: 'Patient' }), true);
    assert.equal(c.take('oneup_searchFhir', 'Prod', { type: 'Patient', count: 2 }), false, 'used up');
  });

  it('a confirmation expires', () => {
    let now = 0;
    const c = new Confirmations(1000, () => now);
    c.note('t', 'Prod', {});
    now = 1001;
    assert.equal(c.take('t', 'Prod', {}), false);
  });

  it('page ids are short, distinct, and only the newest are kept', () => {
    const p = new PageCursors(2);
    const page = { environment: 'Local Sandbox', version: 'r4' as const, type: 'Patient', url: 'http://x/next', offset: 10, format: 'summary' as const };
    const a = p.add(page);
    const b = p.add({ ...page, offset: 20 });
    const c = p.add({ ...page, offset: 30 });
    assert.match(a, /^page-\d+$/);
    assert.equal(p.get(a), undefined);
    assert.equal(p.get(b)?.offset, 20);
    assert.equal(p.get(c)?.offset, 30);
  });

  it('tool calls are numbered only when they made requests', () => {
    const calls = new RecentToolCalls(2);
    const req = { method: 'GET', target: '/fhir/r4/Patient', status: 200, curl: 'curl …' };
    assert.equal(calls.record('oneup_curlForCall', 'Local Sandbox', []), undefined);
    const n1 = calls.record('oneup_searchFhir', 'Local Sandbox', [req])!;
    const n2 = calls.record('oneup_readResource', 'Local Sandbox', [req])!;
    const n3 = calls.record('oneup_readResource', 'Local Sandbox', [req])!;
    assert.deepEqual([n1, n2, n3], [1, 2, 3]);
    assert.equal(calls.get(n1), undefined, 'only the newest are kept');
    assert.equal(calls.last()?.n, 3);
  });
});
