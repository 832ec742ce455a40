import * as assert from 'node:assert/strict';
import { summaryMessage } from '../../../src/commands/exportMessages';
import type { ExportSummary } from '../../../src/core/bulkExport';

const base: ExportSummary = {
  environment: 'Local Sandbox', fhirVersion: 'r4', scope: { kind: 'app' }, level: { kind: 'system' }, startedAt: '', finishedAt: '', durationMs: 4000,
  byType: {}, files: [
    { name: 'Patient.ndjson', type: 'Patient', kind: 'data', resources: 10, bytes: 1048576 },
    { name: 'deleted/Bundle.ndjson', type: 'Bundle', kind: 'deleted', resources: 2, bytes: 300 },
  ],
  resources: 10, bytes: 1048576, deleted: 2, errors: [], complete: true,
};

describe('what the UI says when an export ends', () => {
  it('counts data files, resources, deletions, size and time', () => {
    const m = summaryMessage(base);
    assert.equal(m.text, 'Bulk export complete: 1 file, 10 resources, 2 deleted, 1.0 MB in 4 s.');
    assert.equal(m.warning, false);
  });

  it('shows the issue text of the server\'s error files, as a warning', () => {
    const m = summaryMessage({ ...base, errors: [{ file: 'error/OperationOutcome.ndjson', source: 'server', message: 'The server reported: Observation 42 could not be exported' }] });
    assert.match(m.text, /^Bulk export complete: .*\. The server reported 1 problem in its error files: Observation 42 could not be exported$/);
    assert.equal(m.warning, true);
  });

  it('puts the engine\'s own problems (an incomplete file) first, then the server\'s', () => {
    const m = summaryMessage({
      ...base, complete: false, errors: [
        { file: 'Patient.ndjson', message: 'Patient.ndjson holds 10 resources but the manifest announced 12.' },
        { file: 'error/OperationOutcome.ndjson', source: 'server', message: 'The server reported: timeout on Encounter' },
      ],
    });
    assert.match(m.text, /^Bulk export finished with 1 problem \(.*\): Patient\.ndjson holds 10 resources but the manifest announced 12\. The server reported 1 problem in its error files: timeout on Encounter$/);
    assert.equal(m.warning, true);
  });
});
