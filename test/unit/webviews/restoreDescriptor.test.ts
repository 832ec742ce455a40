import * as assert from 'node:assert/strict';
import { parseRestore, type Restore } from '../../../src/webviews/restore/descriptor';

const user = { oneupUserId: '123', appUserId: 'demo-user-1' };

// What the panels save, one per kind: each must come back as it went in.
const VALID: Restore[] = [
  { kind: 'search', env: 'Local Sandbox', version: 'r4', user, title: 'Observation?_count=20', search: { type: 'Observation', params: [['_count', '20'], ['code', 'http://loinc.org|8867-4']] } },
  { kind: 'page', env: '1upHealth', version: 'stu3', title: 'page', url: 'https://api.1up.health/fhir/stu3/Patient?_afterid=5' },
  { kind: 'file', uri: 'file:///home/me/work/bundle.json', version: 'r4' },
  { kind: 'file', uri: 'vscode-remote://ssh-remote+box/home/me/b.json' },
  { kind: 'resource', env: 'Local Sandbox', version: 'dstu2', type: 'Patient', id: 'abc-1.2' },
  { kind: 'record', env: 'Local Sandbox', version: 'r4', user },
  { kind: 'record', env: 'Local Sandbox', version: 'r4', patientId: 'p1' },
  { kind: 'exportRecord', folder: '/work/exports/2024-01-01', patientId: 'p1', version: 'r4' },
  { kind: 'exportRecord', folder: 'C:\\Users\\me\\exports\\one', patientId: 'p1' },
  { kind: 'connect', env: 'Local Sandbox', user },
  { kind: 'healthSystems', env: '1upHealth' },
  { kind: 'ndjson', path: '/work/exports/one/Observation.ndjson', version: 'r4' },
  { kind: 'exportSummary', folder: '/work/exports/one' },
  { kind: 'attachment', env: 'Local Sandbox', version: 'r4', user, type: 'DiagnosticReport', id: 'r1', path: 'presentedForm[0]', title: 'Report' },
  { kind: 'attachment', file: 'file:///w/b.json', version: 'r4', type: 'DocumentReference', id: 'd1', path: 'content[0].attachment', title: 'Note' },
];

describe('what a panel saves to come back after a reload', () => {
  it('every kind comes back as it was saved', () => {
    for (const r of VALID) assert.deepEqual(parseRestore(JSON.parse(JSON.stringify(r))), r, r.kind);
  });

  it('refuses anything malformed: unknown kinds, bad ids, relative paths, non-http pages, wrong versions, both sources', () => {
    const bad: unknown[] = [
      undefined, null, 'search', [], {},
      { kind: 'evil' },
      { ...VALID[0], version: 'r5' },
      { ...VALID[0], search: { type: 'observation; DROP', params: [] } },
      { ...VALID[0], search: { type: 'Observation', params: [['a']] } },
      { ...VALID[0], user: { oneupUserId: 1, appUserId: 'x' } },
      { ...VALID[1], url: 'javascript:alert(1)' },
      { ...VALID[1], url: 'file:///etc/passwd' },
      { ...VALID[2], uri: 'not a uri' },
      { ...VALID[4], id: '../../etc' },
      { ...VALID[4], type: 'patient' },
      { ...VALID[7], folder: 'relative/folder' },
      { ...VALID[11], path: 'Observation.ndjson' },
      { kind: 'connect', env: 'Local Sandbox' },
      { ...VALID[13], file: 'file:///w/b.json' },
      { ...VALID[14], file: undefined },
    ];
    for (const b of bad) assert.equal(parseRestore(b), undefined, JSON.stringify(b));
  });
});
