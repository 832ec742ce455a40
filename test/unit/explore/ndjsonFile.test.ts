import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { FhirPathError } from '../../../src/core/explore/fhirpath';
import { NdjsonFile } from '../../../src/core/explore/ndjsonFile';
import { filterNeedles, Prefilter } from '../../../src/core/explore/needles';
import type { WorkerPool } from '../../../src/core/explore/pool';
import { gridRows, modeFor } from '../../../src/core/explore/rows';
import { NdjsonSession } from '../../../src/core/explore/session';
import type { NdjsonViewerUpdate } from '../../../src/core/webviewProtocol/ndjsonViewer';
import { sandboxExport } from '../../explore/generate';
import { testPool } from './bridge';

describe('NDJSON files of any size: index, rows by offset, FHIRPath filters', function () {
  this.timeout(120_000);
  let dir: string;
  let obs: string;
  let lines: string[];
  let pool: WorkerPool;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'oneup-ndjson-'));
    const e = await sandboxExport(path.join(dir, 'export'), { patients: 120, types: ['Observation'] });
    obs = path.join(e.folder, e.files[0].name);
    lines = readFileSync(obs, 'utf8').split('\n').filter(Boolean);
    pool = testPool();
  });

  after(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a viewer session sends its first rows with the view, unasked, and indexes once the webview has shown them', async () => {
    const updates: NdjsonViewerUpdate[] = [];
    const session = await NdjsonSession.open({ path: obs, title: 'Observation.ndjson', pool, version: 'r4', versionKnown: true, post: (u) => updates.push(u), minPartBytes: 256 * 1024 });
    try {
      assert.deepEqual(updates.map((u) => u.type), ['view', 'rows'], 'the view, then its first rows, before any request');
      const first = updates[1].type === 'rows' ? updates[1].rows : [];
      assert.equal(first.length, 100);
      assert.equal(first[0].row, 0);
      assert.equal(updates[1].type === 'rows' && updates[1].viewId, updates[0].type === 'view' && updates[0].view.viewId);
      // the workers have not started: the screen gets the cores first
      assert.equal(session.ndjson.progress().bytesDone, 0);
      const viewId = updates[0].type === 'view' ? updates[0].view.viewId : '';
      await session.handle({ type: 'shown', viewId, from: 0, to: 30 });
      await session.ndjson.indexed;
      const p = session.ndjson.progress();
      assert.ok(p.done && p.rows === lines.length, `indexed all ${lines.length} rows (${p.rows})`);
    } finally {
      await session.close();
    }
  });

  it('indexes every line across worker parts; rows read back by offset are the file\'s lines, numbered as in the file', async () => {
    const f = await NdjsonFile.open(obs, pool, undefined, { minPartBytes: 256 * 1024 });
    try {
      assert.ok(f.rowCount > 0 && f.rowCount < lines.length, 'first rows before the index is done');
      const head = await f.rows(0, 2);
      assert.equal(head[0].text, lines[0]);
      await f.indexed;
      assert.ok(f.parts.length >= 2, `several parts (${f.parts.length})`);
      assert.equal(f.rowCount, lines.length);
      assert.deepEqual(f.progress().types, { Observation: lines.length });
      for (const at of [0, 1, Math.floor(lines.length / 2), lines.length - 1]) {
        const [r] = await f.rows(at, 1);
        assert.equal(r.text, lines[at], `row ${at}`);
        assert.equal(r.line, at + 1);
      }
      const across = await f.rows(0, lines.length);
      assert.deepEqual(across.map((r) => r.text), lines, 'every row, in order, across the parts');
      assert.equal(await f.rowAtLine(lines.length), lines.length - 1);
    } finally {
      await f.close();
    }
  });

  it('keeps bad lines as rows: a non-JSON line, a blank line, JSON that is no resource and a truncated last line', async () => {
    const file = path.join(dir, 'broken.ndjson');
    writeFileSync(file, [lines[0], 'not json', '', lines[1], '{"a":1}', lines[2], lines[3].slice(0, 50)].join('\r\n'));
    const f = await NdjsonFile.open(file, pool);
    try {
      await f.indexed;
      const facts = f.facts()!;
      assert.equal(f.rowCount, 6, 'the blank line is not a row; the bad ones are');
      assert.deepEqual(facts.bad.map((b) => b.line), [2, 5, 7]);
      const rows = await f.rows(0, 6);
      const grid = gridRows(rows, modeFor(['Observation']), [], 'r4', (r) => r.row).rows;
      assert.deepEqual(grid.map((r) => r.line), [1, 2, 4, 5, 6, 7]);
      assert.match(grid[1].bad ?? '', /^Line 2 is not valid JSON: /);
      assert.match(grid[3].bad ?? '', /^Line 5 is JSON but not a FHIR resource/);
      assert.match(grid[5].bad ?? '', /^Line 7 is not valid JSON: /);
      assert.equal(grid[0].bad, undefined);
    } finally {
      await f.close();
    }
  });

  /** What fhirpath.js answers for each line, one by one: the filter must agree. */
  function expected(expression: string): number[] {
    const out: number[] = [];
    lines.forEach((l, i) => {
      const v = fhirpath.evaluate(JSON.parse(l), expression, undefined, r4) as unknown[];
      if (v.length === 1 && v[0] !== false) out.push(i + 1);
    });
    return out;
  }

  for (const expression of ["code.coding.code = '8867-4'", 'effectiveDateTime > @2015', "code.coding.where(system = 'http://loinc.org' and code = '29463-7').exists()"]) {
    it(`filters with ${expression} exactly as fhirpath.js evaluates each resource`, async () => {
      const f = await NdjsonFile.open(obs, pool, undefined, { minPartBytes: 256 * 1024 });
      try {
        const progress: number[] = [];
        const run = f.filter(expression, 'r4', (p) => progress.push(p.bytesDone));
        await run.finished;
        const got = (await run.rows(0, run.rowCount)).map((r) => r.line);
        const want = expected(expression);
        assert.ok(want.length > 0, 'the expression matches something');
        assert.deepEqual(got, want);
        assert.equal(run.progress().matched, want.length);
        assert.ok(progress.length > 0, 'progress was reported');
        if (filterNeedles(expression).length) assert.ok(run.progress().evaluated < lines.length / 2, 'the pre-check spared most lines a parse');
      } finally {
        await f.close();
      }
    });
  }

  it('a filter can be cancelled: it stops and says so', async () => {
    const f = await NdjsonFile.open(obs, pool);
    try {
      const run = f.filter('effectiveDateTime > @2015', 'r4', () => undefined);
      run.cancel();
      await run.finished;
      const p = run.progress();
      assert.equal(p.cancelled, true);
      assert.equal(p.done, false);
    } finally {
      await f.close();
    }
  });

  it('refuses an expression with a syntax error at once, saying where', async () => {
    const f = await NdjsonFile.open(obs, pool);
    try {
      assert.throws(() => f.filter("code.coding.code = '8867-4' and", 'r4', () => undefined), (e: unknown) => e instanceof FhirPathError && /^Syntax error at column \d+/.test(e.message) && typeof e.column === 'number');
    } finally {
      await f.close();
    }
  });

  it('the pre-check is exact: a value written with JSON escapes still matches', () => {
    assert.deepEqual(filterNeedles("code.coding.code = '8867-4'"), ['8867-4']);
    assert.deepEqual(filterNeedles("status = 'final' and code.coding.code = 'x'"), ['final', 'x']);
    assert.deepEqual(filterNeedles("code.coding.code = '8867-4' or status = 'final'"), [], 'or: no string is required');
    assert.deepEqual(filterNeedles("code.coding.code.lower() = 'abc'"), [], 'a function of the value: no pre-check');
    assert.deepEqual(filterNeedles("effectiveDateTime = '2020-01-01'"), [], 'dates may be spelled otherwise');
    const pre = new Prefilter(filterNeedles("system = 'http://loinc.org'"));
    const line = (s: string) => Buffer.from(s);
    const check = (s: string) => pre.candidate(line(s), 0, line(s).length);
    assert.equal(check('{"system":"http://loinc.org"}'), true);
    assert.equal(check('{"system":"http:\\/\\/loinc.org"}'), true, 'an escaped slash');
    assert.equal(check('{"system":"http://lo\\u0069nc.org"}'), true, 'a \\u escape');
    assert.equal(check('{"system":"http://snomed.info/sct"}'), false);
    // and end to end: a line spelling the code with an escape is found
    const file = path.join(dir, 'escaped.ndjson');
    const code = (JSON.parse(lines[0]) as { code: { coding: { code: string }[] } }).code.coding[0].code;
    const escaped = lines[0].split(code).join(`${code.slice(0, -1)}\\u00${code.charCodeAt(code.length - 1).toString(16)}`);
    assert.ok(!escaped.includes(code), 'the code is only there escaped');
    writeFileSync(file, `${lines[1]}\n${escaped}\n`);
    return (async () => {
      const f = await NdjsonFile.open(file, pool);
      try {
        const run = f.filter(`code.coding.code = '${code}'`, 'r4', () => undefined);
        await run.finished;
        const got = await run.rows(0, 10);
        assert.ok(got.some((r) => r.line === 2), 'the escaped line matched');
      } finally {
        await f.close();
      }
    })();
  });
});
