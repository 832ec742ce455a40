import * as assert from 'node:assert/strict';
import type { AppUser, HealthSystem } from '../../../src/core/api';
import { exportDetail, exportsAnswer, type ExportView } from '../../../src/core/tools/exportAnswers';
import { healthSystemsAnswer, usersAnswer } from '../../../src/core/tools/lists';

const users: AppUser[] = Array.from({ length: 60 }, (_, i) => ({ oneupUserId: `u${i}`, appUserId: `user-${i}`, active: i % 7 !== 0 }));

describe('list answers', () => {
  it('users: the count, one line each with token state, and the offset of the next ones', () => {
    const text = usersAnswer({ environment: 'Local Sandbox', users, offset: 25, limit: 25, tokens: new Map([['u25', 'valid until 2026-01-01 10:00 UTC']]), maxChars: 12000 });
    assert.match(text, /^App users in “Local Sandbox”: 60; showing 26–50\./);
    assert.match(text, /^- user-25 · oneup_user_id u25 · active · token valid until 2026-01-01 10:00 UTC$/m);
    assert.match(text, /^- user-28 · oneup_user_id u28 · inactive$/m);
    assert.match(text, /More available: 10 more\. Call oneup_listUsers with \{"offset":50\}/);
    const last = usersAnswer({ environment: 'Local Sandbox', users, offset: 50, limit: 25, maxChars: 12000 });
    assert.match(last, /showing 51–60\./);
    assert.match(last, /This is the end of the list\./);
  });

  it('users: a tight budget lists fewer and the next offset starts after the last one listed', () => {
    const text = usersAnswer({ environment: 'Local Sandbox', users, offset: 0, limit: 100, maxChars: 1500 });
    const listed = (text.match(/^- user-/gm) ?? []).length;
    assert.ok(listed > 0 && listed < 60);
    assert.match(text, new RegExp(`More available: ${60 - listed} more\\. Call oneup_listUsers with \\{"offset":${listed}\\}`));
  });

  it('health systems: id, name, version, status, place', () => {
    const systems: HealthSystem[] = [
      { id: '4706', name: 'Epic Test (demo)', apiVersion: 'FHIR R4', status: 'ok', ehr: 'epic', resourceUrl: 'https://epic.example/api/FHIR/R4', locations: [{ name: 'Main', address: { city: 'Boston', state: 'MA' } }] },
      { id: '7', name: 'Cerner', locations: [] },
    ];
    const text = healthSystemsAnswer({ environment: '1upHealth', systems, filter: 'name “e”', offset: 0, limit: 25, maxChars: 12000 });
    assert.match(text, /^Health systems in “1upHealth” matching name “e”: 2; showing 1–2\./);
    assert.match(text, /^- id 4706 · Epic Test \(demo\) · FHIR FHIR R4 · status ok · EHR epic · in Boston, MA · FHIR base https:\/\/epic\.example\/api\/FHIR\/R4$/m);
    assert.match(text, /^- id 7 · Cerner$/m);
  });

  it('exports: running first with progress, finished with counts; details per type and problems', () => {
    const done: ExportView = {
      id: '2026-01-01T10-00-00Z', folder: '/ws/.1uphealth/exports/Local_Sandbox/2026-01-01T10-00-00Z', environment: 'Local_Sandbox', state: 'problems',
      summary: {
        environment: 'Local Sandbox', fhirVersion: 'r4', scope: { kind: 'app' }, level: { kind: 'system' }, types: ['Patient', 'Observation'], startedAt: '', finishedAt: '', durationMs: 2500,
        byType: { Patient: { files: 1, resources: 13, bytes: 40000 }, Observation: { files: 2, resources: 900, bytes: 900000 } },
        files: [{ name: 'Patient.ndjson', type: 'Patient', kind: 'data', resources: 13, bytes: 40000 }],
        resources: 913, bytes: 940000, deleted: 0, errors: [{ file: 'Observation-2.ndjson', message: 'line 3 is not JSON' }], complete: false,
      },
    };
    const running: ExportView = { id: 'tool-export-1', folder: '', environment: 'Local Sandbox', state: 'running', progress: { phase: 'downloading', filesDone: 1, filesTotal: 3, bytes: 2 * 1048576 } };
    const list = exportsAnswer([running, done], 10, 12000);
    assert.match(list, /^- tool-export-1 · Local Sandbox · running · downloading, 1\/3 files, 2\.00 MB$/m);
    assert.match(list, /^- 2026-01-01T10-00-00Z · Local Sandbox · problems · 913 resources in 1 files, 0\.90 MB · 1 problem$/m);
    const detail = exportDetail(done, 12000);
    assert.match(detail, /Scope: all users of the app, FHIR R4, types Patient,Observation; took 2\.5 s\./);
    assert.match(detail, /Per type: Observation 900, Patient 13\./);
    assert.match(detail, /Problem: Observation-2\.ndjson: line 3 is not JSON/);
    assert.match(detail, /not sent to the model/);
  });
});
