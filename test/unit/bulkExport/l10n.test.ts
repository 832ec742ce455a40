import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { summaryMessage } from '../../../src/commands/exportMessages';
import type { ExportSummary } from '../../../src/core/bulkExport';
import { planFiles } from '../../../src/core/bulkExport/manifest';
import { serverWords } from '../../../src/core/bulkExport/summary';
import { NdjsonVerifier } from '../../../src/core/bulkExport/verify';
import { configureL10n } from '../../../src/core/l10n';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const committed = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string }>;

/** The bundle key of a source string (a string with a translator comment is keyed `message/comment`). */
function keyOf(message: string): string {
  const key = Object.keys(committed).find((k) => {
    const v = committed[k];
    return (typeof v === 'string' ? v : v.message) === message;
  });
  assert.ok(key, `no "${message}" in l10n/bundle.l10n.json`);
  return key;
}

// A made-up German bundle, as VS Code would hand it to the host for a display language that has one.
const GERMAN: Record<string, string> = {
  [keyOf('1 file')]: '1 Datei',
  [keyOf('{0} resources')]: '{0} Ressourcen',
  [keyOf('{0}, {1}, {2} deleted, {3} MB in {4} s')]: '{0}, {1}, {2} gelöscht, {3} MB in {4} s',
  [keyOf('Bulk export complete: {0}.')]: 'Bulk-Export fertig: {0}.',
  [keyOf('The server reported 1 problem in its error files: {0}')]: 'Der Server meldete 1 Problem in seinen Fehlerdateien: {0}',
  [keyOf('The server reported: {0}')]: 'Laut Server: {0}',
  [keyOf('{0}, line {1}: is not valid JSON.')]: '{0}, Zeile {1}: kein gültiges JSON.',
  [keyOf('The manifest lists a {0} error file without a usable http(s) URL; it was not downloaded.')]: 'Das Manifest nennt eine {0}-Fehlerdatei ohne brauchbare http(s)-URL; sie wurde nicht geladen.',
};

const summary = (message: string): ExportSummary => ({
  environment: 'Local Sandbox', fhirVersion: 'r4', scope: { kind: 'app' }, level: { kind: 'system' }, startedAt: '', finishedAt: '', durationMs: 4000,
  byType: {}, files: [{ name: 'Patient.ndjson', type: 'Patient', kind: 'data', resources: 10, bytes: 1048576 }],
  resources: 10, bytes: 1048576, deleted: 2, complete: true,
  errors: [{ file: 'error/OperationOutcome.ndjson', source: 'server', message }],
});

describe('bulk export texts in the display language (@vscode/l10n with the bundle VS Code loaded)', () => {
  // other tests read English: whatever happens here, the core speaks English again afterwards
  afterEach(() => configureL10n(undefined));

  it('says how an export ended in the configured language, quoting the server\'s words without the "reported" lead; the log line stays English', () => {
    configureL10n(GERMAN);
    // a summary written in German, and one written in English (before the switch, or by an older version)
    for (const message of ['Laut Server: Observation 42 could not be exported', 'The server reported: Observation 42 could not be exported']) {
      const m = summaryMessage(summary(message));
      assert.equal(m.text, 'Bulk-Export fertig: 1 Datei, 10 Ressourcen, 2 gelöscht, 1.0 MB in 4 s. Der Server meldete 1 Problem in seinen Fehlerdateien: Observation 42 could not be exported');
      assert.equal(m.log, '1 file, 10 resources, 2 deleted, 1.0 MB in 4 s, 1 server report');
    }
    configureL10n(undefined);
    assert.equal(summaryMessage(summary('The server reported: x')).text, 'Bulk export complete: 1 file, 10 resources, 2 deleted, 1.0 MB in 4 s. The server reported 1 problem in its error files: x');
  });

  it('the server\'s words come out whole whatever the lead was written in', () => {
    configureL10n(GERMAN);
    assert.equal(serverWords('Laut Server: timeout on Encounter'), 'timeout on Encounter');
    assert.equal(serverWords('The server reported: timeout on Encounter'), 'timeout on Encounter');
    assert.equal(serverWords('Patient.ndjson was not downloaded.'), 'Patient.ndjson was not downloaded.');
  });

  it('the engine\'s findings (a bad line, a refused manifest entry) are in the configured language', () => {
    configureL10n(GERMAN);
    const v = new NdjsonVerifier('Patient.ndjson', 'Patient');
    assert.throws(() => v.push(Buffer.from('{"resourceType":"Patient"}\n{not json\n')), { message: 'Patient.ndjson, Zeile 2: kein gültiges JSON.' });
    const { refused } = planFiles({ output: [], error: [{ type: 'OperationOutcome', url: 'ftp://files.example.test/e.ndjson' }] }, 'https://fhir.example.test/r4/$export');
    assert.deepEqual(refused.map((r) => r.message), ['Das Manifest nennt eine OperationOutcome-Fehlerdatei ohne brauchbare http(s)-URL; sie wurde nicht geladen.']);
  });
});
