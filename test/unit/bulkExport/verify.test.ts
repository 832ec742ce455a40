import * as assert from 'node:assert/strict';
import { checkJsonObject } from '../../../src/core/bulkExport/jsonCheck';
import { NdjsonVerifier } from '../../../src/core/bulkExport/verify';

// Lines with every JSON feature the checker must get right, in FHIR-ish shapes.
const LINES = [
  '{"resourceType":"Patient","id":"p1","active":true,"deceasedBoolean":false,"photo":null}',
  '{"resourceType":"Observation","valueQuantity":{"value":-12.5e-3,"unit":"mg/dL"},"component":[],"note":[{"text":"a \\"quoted\\" word\\\\n\\u00e9\\t/\\/"}]}',
  ' { "resourceType" : "Condition" , "code" : { "coding" : [ { "code" : "0" } , { "code" : "1E+10" } ] } } ',
  '{"resourceType":"Pati\\u0065nt","name":[{"given":["Zoë","李"],"family":"Ω"}],"n":[0,1,-0,0.5,1e5,2E-7]}',
  '{"id":"no-type","nested":{"resourceType":"Patient"}}',
  '{"resourceType":"Patient","resourceType":"Observation"}',
  '{"resourceType":42}',
  '{}',
];

// Small deterministic generator: the same mutations every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = Buffer.from('{}[]:,"\\ \t\r0123456789.-+eEtrufalsn\u0001x\u00e9');

function mutate(line: Buffer, r: () => number): Buffer {
  const b = Buffer.from(line);
  const at = Math.floor(r() * (b.length + 1));
  const byte = ALPHABET[Math.floor(r() * ALPHABET.length)];
  switch (Math.floor(r() * 3)) {
    case 0: return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    case 1: return Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
    default:
      if (at < b.length) b[at] = byte;
      return b;
  }
}

/** What JSON.parse says: undefined when not a JSON object; else its resourceType (if a string). */
function oracle(b: Buffer): { type: string | undefined } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const t = (v as { resourceType?: unknown }).resourceType;
  return { type: typeof t === 'string' ? t : undefined };
}

function checkedJs(b: Buffer): { type: string | undefined } | undefined {
  const span = checkJsonObject(b, 0, b.length);
  if (!span) return undefined;
  return { type: span.typeStart < 0 ? undefined : (JSON.parse(b.toString('utf8', span.typeStart, span.typeEnd)) as string) };
}

{
  const checked = checkedJs;
  describe('bulk export: the JSON line check', () => {
    it('agrees with JSON.parse on valid lines, including the top-level resourceType', () => {
      for (const line of LINES) assert.deepEqual(checked(Buffer.from(line)), oracle(Buffer.from(line)), line);
    });

    it('agrees with JSON.parse on 60,000 mutated lines', () => {
      const r = rng(7);
      let invalid = 0;
      for (let n = 0; n < 60_000; n++) {
        let b: Buffer = Buffer.from(LINES[n % LINES.length]);
        const edits = 1 + Math.floor(r() * 3);
        for (let e = 0; e < edits; e++) b = mutate(b, r);
        const want = oracle(b);
        if (!want) invalid++;
        assert.deepEqual(checked(b), want, JSON.stringify(b.toString('utf8')));
      }
      assert.ok(invalid > 20_000, 'most mutations break the JSON');
    });

    it('agrees with JSON.parse on long strings, deep nesting and every escape', () => {
      const long = 'x'.repeat(37);
      const cases = [
        `{"resourceType":"Patient","a":"${long}\\"${long}"}`, `{"resourceType":"Patient","a":"${long}\u0001${long}"}`,
        `{"resourceType":"Patient","a":"${long}\t"}`, `{"resourceType":"Patient","a":"${'é'.repeat(40)}"}`,
        `{"a":${'['.repeat(900)}${']'.repeat(900)}}`, `{"a":${'['.repeat(900)}${']'.repeat(899)}}`,
        `{"resourceType":"Patient","e":"\\b\\f\\n\\r\\t\\/\\\\\\"\\uABCD"}`, `{"resourceType":"Patient","e":"\\x"}`, `{"e":"\\u12G4"}`,
      ];
      for (const c of cases) assert.deepEqual(checked(Buffer.from(c)), oracle(Buffer.from(c)), c.slice(0, 80));
    });
  });
}

describe('bulk export: the line check\'s bounds', () => {
  it('never reads past the end it is given', () => {
    const b = Buffer.from('{"resourceType":"Patient","n":1}\n{"x":2}');
    const end = b.indexOf(10);
    for (let cut = 1; cut < end; cut++) assert.equal(checkJsonObject(b, 0, cut), undefined, b.toString('utf8', 0, cut));
    assert.ok(checkJsonObject(b, 0, end));
  });

});

{
  describe('bulk export: NDJSON verification while streaming', () => {
    const patients = Array.from({ length: 50 }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}`, name: [{ text: 'x'.repeat(i * 7) }] }));
    const file = Buffer.from(`${patients.join('\n')}\n`);

    it('counts the same resources however the bytes are split into chunks', () => {
      for (const size of [1, 2, 3, 7, 64, 100, 1000, file.length]) {
        const v = new NdjsonVerifier('Patient.ndjson', 'Patient', { expected: 50 });
        for (let i = 0; i < file.length; i += size) v.push(file.subarray(i, i + size));
        assert.equal(v.finish(), 50, `chunks of ${size}`);
        assert.equal(v.verifiedBytes, file.length);
      }
    });

    it('keeps nothing of a chunk after push returns (the caller may reuse its memory)', () => {
      for (const size of [5, 64, 333]) {
        const v = new NdjsonVerifier('Patient.ndjson', 'Patient', { expected: 50 });
        const reused = Buffer.alloc(size);
        for (let i = 0; i < file.length; i += size) {
          const n = file.copy(reused, 0, i, i + size);
          v.push(reused.subarray(0, n));
          reused.fill(0x7b);
        }
        assert.equal(v.finish(), 50, `one buffer of ${size} bytes, overwritten after each push`);
      }
    });

    it('accepts CRLF, blank lines, a byte order mark and a missing final newline', () => {
      const v = new NdjsonVerifier('f', 'Patient', { expected: 2 });
      v.push(Buffer.from(`\ufeff${patients[0]}\r\n\r\n${patients[1]}`));
      assert.equal(v.finish(), 2);
    });

    it('names the line with the wrong resourceType, invalid JSON, or a missing type', () => {
      const cases: [string, RegExp][] = [
        [`${patients[0]}\n${patients[1]}\n{"resourceType":"Observation","id":"o"}\n`, /f, line 3: a "Observation" where the manifest announced Patient/],
        [`${patients[0]}\n{"resourceType":"Patient",}\n`, /f, line 2: is not valid JSON/],
        [`${patients[0]}\n["Patient"]\n`, /f, line 2: is JSON but not a resource object/],
        [`{"id":"x"}\n`, /f, line 1: the resource has no resourceType/],
      ];
      for (const [text, message] of cases) {
        const v = new NdjsonVerifier('f', 'Patient');
        assert.throws(() => {
          for (let i = 0; i < text.length; i += 5) v.push(Buffer.from(text.slice(i, i + 5)));
          v.finish();
        }, { name: 'VerificationError', message });
      }
    });

    it('checks the count the manifest announced', () => {
      const v = new NdjsonVerifier('Patient.ndjson', 'Patient', { expected: 51 });
      v.push(file);
      assert.throws(() => v.finish(), { name: 'VerificationError', kind: 'count', message: /holds 50 resources but the manifest announced 51/ });
    });

    it('stops at the first resource past the announced count, with the announced ones as its verified prefix', () => {
      const v = new NdjsonVerifier('Patient.ndjson', 'Patient', { expected: 3 });
      const endOfThird = patients.slice(0, 3).join('\n').length + 1;
      // an endless file: the verifier stops it in the first chunk past the count, whatever follows
      assert.throws(() => {
        for (let i = 0; i < 1000; i++) v.push(file);
      }, { name: 'VerificationError', kind: 'too-many', message: /more than the 3 resources the manifest announced/ });
      assert.equal(v.resources, 3, 'the fourth resource, the one too many, is not counted');
      assert.equal(v.verifiedBytes, endOfThird, 'what is worth keeping ends after the third line');
    });

    it('knows where the last good line ends when a later one is bad', () => {
      const v = new NdjsonVerifier('f', 'Patient');
      const good = `${patients[0]}\n${patients[1]}\n`;
      assert.throws(() => v.push(Buffer.from(`${good}{"resourceType":"Patient",\n`)), { kind: 'line' });
      assert.equal(v.verifiedBytes, Buffer.byteLength(good));
    });

    it('refuses a line longer than the limit instead of buffering it', () => {
      const v = new NdjsonVerifier('f', 'Patient', { maxLineBytes: 1000 });
      assert.throws(() => {
        for (let i = 0; i < 10; i++) v.push(Buffer.alloc(200, 0x20));
      }, /longer than/);
    });
  });
}
