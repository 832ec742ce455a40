import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { toNetworkError } from '../../src/core/api/netErrors';
import { WorkerPool } from '../../src/core/explore/pool';
import { NdjsonSession } from '../../src/core/explore/session';
import { configureL10n, l10nContents } from '../../src/core/l10n';
import { bundleView } from '../../src/core/render/bundleView';
import { describe as describeResource } from '../../src/core/render/rules';
import type { NdjsonRow, NdjsonViewerUpdate } from '../../src/core/webviewProtocol/ndjsonViewer';
import { WORKER_SCRIPT } from './explore/bridge';

// A made-up German bundle: what VS Code hands the host for a display language that has one.
const GERMAN = {
  low: 'niedrig',
  '{0} criticality': 'Kritikalität {0}',
  Criticality: 'Kritikalität',
  '{0} refused the connection.': '{0} hat die Verbindung abgelehnt.',
  'the expression gave more than one value where a filter needs true or false: wrap it in exists() or use where(…)':
    'der Ausdruck ergab mehrere Werte, wo ein Filter wahr oder falsch braucht: mit exists() umschließen oder where(…) verwenden',
  'line {0}: {1}': 'Zeile {0}: {1}',
  'Line {0} is not valid JSON: {1}': 'Zeile {0} ist kein gültiges JSON: {1}',
};

const allergy = { resourceType: 'AllergyIntolerance', id: 'a1', criticality: 'CRITL', code: { text: 'Peanut' } };

describe('localization of the core (@vscode/l10n with the bundle VS Code loaded)', function () {
  this.timeout(60_000);

  // other tests read English: whatever happens here, the core speaks English again afterwards
  afterEach(() => configureL10n(undefined));

  it('renders in the configured language (words, composed labels, column headers, error texts), and in English again once reset', () => {
    configureL10n(GERMAN);
    assert.deepEqual(l10nContents(), GERMAN, 'the core keeps what it was configured with (for the workers)');
    // the rule table was loaded before the bundle was configured: its words are read when rendered
    assert.equal(describeResource(allergy).facts.t, 'Kritikalität niedrig');
    const view = bundleView({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: allergy }] }, { viewId: 'v', title: 'Allergies' });
    assert.ok(view.groups[0].columns.some((c) => c.label === 'Kritikalität'), view.groups[0].columns.map((c) => c.label).join(', '));
    const refused = toNetworkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), new URL('https://api.example.test/x'), 10);
    assert.equal(refused.message, 'api.example.test hat die Verbindung abgelehnt.');

    configureL10n(undefined);
    assert.equal(l10nContents(), undefined);
    assert.equal(describeResource(allergy).facts.t, 'low criticality');
    assert.equal(toNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), new URL('https://api.example.test/x'), 10).message, 'api.example.test refused the connection.');
  });

  it('the explorer\'s worker threads speak the configured language too: a filter\'s failing-line reason comes translated from the worker', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oneup-l10n-'));
    const file = path.join(dir, 'Patient.ndjson');
    // line 1: two given names (a filter on `name.given` gets several values); line 2: not JSON
    writeFileSync(file, `${JSON.stringify({ resourceType: 'Patient', id: 'p1', name: [{ given: ['Ada', 'Maria'], family: 'Test' }] })}\n{not json\n`);
    configureL10n(GERMAN);
    // workers start with the bundle the core holds when they start (a worker has its own globalThis)
    const pool = new WorkerPool(WORKER_SCRIPT, 1, 2_000);
    const updates: NdjsonViewerUpdate[] = [];
    const session = await NdjsonSession.open({ path: file, title: 'Patient.ndjson', pool, version: 'r4', versionKnown: true, post: (u) => updates.push(u) });
    try {
      const filter = await session.setFilter('name.given');
      assert.equal(filter?.evalErrors, 1);
      // "Zeile 1:" is the host's; the reason after it was written by the worker thread
      assert.equal(filter?.firstEvalError, `Zeile 1: ${GERMAN['the expression gave more than one value where a filter needs true or false: wrap it in exists() or use where(…)']}`);
      await session.setFilter('');
      await session.handle({ type: 'rows', viewId: (updates.filter((u) => u.type === 'view').pop() as { view: { viewId: string } }).view.viewId, seq: 1, from: 0, count: 2 });
      const rows = (updates.filter((u) => u.type === 'rows').pop() as { rows: NdjsonRow[] }).rows;
      assert.match(rows[1].bad ?? '', /^Zeile 2 ist kein gültiges JSON: /);
    } finally {
      await session.close();
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
