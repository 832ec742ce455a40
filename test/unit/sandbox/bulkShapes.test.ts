import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import type { Bundle, OperationOutcome, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { parseArgs } from '../../../src/core/sandbox/cli';
import { appHeaders, call, sandbox } from './helpers';

interface Entry { type: string; url: string; count?: number }
interface Manifest { output: Entry[]; error?: Entry[]; deleted?: Entry[]; [k: string]: unknown }

const lines = (text: string): Resource[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource);
const TLS_DIR = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');

/** The raw bytes of an answer, without the automatic decoding fetch does (to see Content-Encoding). */
async function raw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const res = await request(url, { headers });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

describe('sandbox: bulk manifests as production and the spec shape them', () => {
  let sb: RunningSandbox;
  let spec: RunningSandbox;
  before(async () => {
    sb = await sandbox({ patients: 2, exportMaxResourcesPerFile: 300 });
    spec = await sandbox({ patients: 2, exportMaxResourcesPerFile: 300, exportManifest: 'spec' });
  });
  after(async () => {
    await sb.close();
    await spec.close();
  });

  it('by default answers as production: no count, no empty error list, signed-token file URLs, no Content-Location', async () => {
    const a = await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Patient,Observation`, { headers: appHeaders(sb) });
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('content-location'), null);
    assert.deepEqual(Object.keys(a.body).sort(), ['output', 'request', 'requiresAccessToken', 'transactionTime']);
    for (const o of a.body.output) {
      assert.deepEqual(Object.keys(o).sort(), ['type', 'url']);
      const m = new RegExp(`^${sb.url.replace(/[.]/g, '\\.')}/bulk-data/r4/\\$export/${o.type}/([\\w-]+)\\.([\\w-]+)\\.([\\w-]+)\\.ndjson$`).exec(o.url);
      assert.ok(m, o.url);
      assert.deepEqual(JSON.parse(Buffer.from(m[1], 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
      assert.equal((await call(o.url, { headers: appHeaders(sb) })).status, 200);
    }
    // a token changed by one character names nothing
    const url = a.body.output[0].url;
    const forged = url.replace(/(\.)([\w-])([\w-]*\.ndjson)$/, (_m, dot: string, c: string, rest: string) => `${dot}${c === 'A' ? 'B' : 'A'}${rest}`);
    assert.equal((await call(forged, { headers: appHeaders(sb) })).status, 404);
  });

  it('offers the Bulk Data spec shape as an option: count, error: [], Content-Location', async () => {
    const a = await call<Manifest>(`${spec.url}/bulk-data/r4/$export?_type=Patient`, { headers: appHeaders(spec) });
    assert.equal(a.status, 200);
    assert.match(String(a.headers.get('content-location')), /\/bulk-data\/r4\/\$export-status\//);
    assert.deepEqual(a.body.error, []);
    const file = a.body.output[0];
    assert.equal(file.count, spec.state.patientCount());
    assert.match(file.url, /\/bulk-data\/r4\/files\/[0-9a-f-]{36}\/Patient-1\.ndjson$/);
  });

  it('gives the spec shape in --mode spec too, unless the manifest is set on its own', async () => {
    const specMode = await sandbox({ patients: 1, mode: 'spec' });
    const mixed = await sandbox({ patients: 1, mode: 'spec', exportManifest: 'production' });
    try {
      const first = await call<Manifest>(`${specMode.url}/bulk-data/r4/$export?_type=Patient`, { headers: appHeaders(specMode) });
      assert.equal(first.body.output[0].count, specMode.state.patientCount());
      const second = await call<Manifest>(`${mixed.url}/bulk-data/r4/$export?_type=Patient`, { headers: appHeaders(mixed) });
      assert.equal(second.body.output[0].count, undefined);
    } finally {
      await specMode.close();
      await mixed.close();
    }
  });

  it('gzips a file for a client that asks, and serves ranges of the plain file', async () => {
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Observation`, { headers: appHeaders(sb) })).body;
    const url = m.output[0].url;
    const plain = await raw(url, appHeaders(sb));
    assert.equal(plain.headers['content-encoding'], undefined, 'nothing asked, nothing encoded');
    const gz = await raw(url, { ...appHeaders(sb), 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.ok(gz.body.length < plain.body.length / 5, `${gz.body.length} of ${plain.body.length} bytes on the wire`);
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    const range = await raw(url, { ...appHeaders(sb), 'accept-encoding': 'gzip', range: 'bytes=100-199' });
    assert.equal(range.status, 206);
    assert.equal(range.headers['content-encoding'], undefined);
    assert.deepEqual(range.body, plain.body.subarray(100, 200));
    assert.equal((await raw(url, { ...appHeaders(sb), 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding'], undefined);
  });

  it('lists resources deleted since _since in `deleted` files of DELETE Bundles, and only with _since', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const obs = (await call<Bundle>(`${sb.url}/fhir/r4/Observation?_count=2`, { headers: appHeaders(sb) })).body.entry!.map((e) => e.resource!.id!);
    for (const id of obs) assert.equal((await call(`${sb.url}/fhir/r4/Observation/${id}`, { method: 'DELETE', headers: appHeaders(sb) })).status, 200);
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Observation&_since=${since}`, { headers: appHeaders(sb) })).body;
    assert.deepEqual(m.output, [], 'no Observation changed since then');
    assert.equal(m.deleted?.length, 1);
    assert.equal(m.deleted![0].type, 'Bundle');
    const bundles = lines((await call(m.deleted![0].url, { headers: appHeaders(sb) })).text) as Bundle[];
    assert.ok(bundles.every((b) => b.resourceType === 'Bundle' && b.type === 'transaction'));
    const requests = bundles.flatMap((b) => b.entry!.map((e) => e.request as { method: string; url: string }));
    assert.deepEqual(requests.sort((a, b) => a.url.localeCompare(b.url)),
      obs.map((id) => ({ method: 'DELETE', url: `Observation/${id}` })).sort((a, b) => a.url.localeCompare(b.url)));
    const later = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Observation&_since=${new Date(Date.now() + 60_000).toISOString()}`, { headers: appHeaders(sb) })).body;
    assert.equal(later.deleted, undefined, 'nothing deleted after the deletions');
    const whole = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Observation`, { headers: appHeaders(sb) })).body;
    assert.equal(whole.deleted, undefined, 'a full export lists no deletions');
  });

  it('applies _typeFilter, and reports a filter it cannot apply in an error file (or refuses it when strict)', async () => {
    const all = (await call<Bundle>(`${sb.url}/fhir/r4/Observation?_count=1`, { headers: appHeaders(sb) })).body.entry![0].resource!;
    const code = (all.code as { coding: { code: string }[] }).coding[0].code;
    const q = (f: string) => `${sb.url}/bulk-data/r4/$export?_type=Observation,Patient&_typeFilter=${encodeURIComponent(f)}`;
    const filtered = (await call<Manifest>(q(`Observation?code=${code}`), { headers: appHeaders(sb) })).body;
    const kept = lines((await call(filtered.output.find((o) => o.type === 'Observation')!.url, { headers: appHeaders(sb) })).text);
    assert.ok(kept.length > 0 && kept.every((r) => (r.code as { coding: { code: string }[] }).coding.some((c) => c.code === code)));
    assert.ok(filtered.output.some((o) => o.type === 'Patient'), 'a type without a filter is whole');

    const lenient = (await call<Manifest>(q('Observation?date=not-a-date'), { headers: appHeaders(sb) })).body;
    assert.equal(lenient.error?.length, 1);
    assert.equal(lenient.error![0].type, 'OperationOutcome');
    const issues = lines((await call(lenient.error![0].url, { headers: appHeaders(sb) })).text) as OperationOutcome[];
    assert.match(issues[0].issue![0].diagnostics!, /_typeFilter "Observation\?date=not-a-date".*not applied/);
    const strict = await call<OperationOutcome>(q('Observation?date=not-a-date'), { headers: { ...appHeaders(sb), prefer: 'handling=strict' } });
    assert.equal(strict.status, 400);
  });

  it('kicks off at system, Patient and Group level, under /bulk-data and on the FHIR base', async () => {
    const types = async (url: string) => [...new Set((await call<Manifest>(url, { headers: appHeaders(sb) })).body.output.map((o) => o.type))];
    const system = await types(`${sb.url}/bulk-data/r4/$export`);
    assert.ok(system.includes('Organization') && system.includes('Patient'));
    const patient = await types(`${sb.url}/bulk-data/r4/Patient/$export`);
    assert.ok(patient.includes('Patient') && !patient.includes('Organization'), patient.join(','));
    assert.deepEqual(await types(`${sb.url}/fhir/r4/Patient/$export`), patient, 'the FHIR base answers the same');
    const ids = async (group: string) => {
      const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/Group/${group}/$export?_type=Patient`, { headers: appHeaders(sb) })).body;
      return (await Promise.all(m.output.map(async (o) => lines((await call(o.url, { headers: appHeaders(sb) })).text)))).flat().map((p) => p.id);
    };
    const demo = await ids('demo-patients');
    const generated = await ids('generated-patients');
    assert.ok(demo.length > 0 && generated.length === 2, `${demo.length} demo, ${generated.length} generated`);
    assert.equal((await ids('all-patients')).length, demo.length + generated.length);
    const unknown = await call<OperationOutcome>(`${sb.url}/bulk-data/r4/Group/no-such-group/$export`, { headers: appHeaders(sb) });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.issue![0].diagnostics!, /Group\/no-such-group is not known/);
  });
});

describe('sandbox: Retry-After as a delay, an HTTP date or an epoch time', () => {
  for (const style of ['http-date', 'epoch-seconds', 'epoch-ms'] as const) {
    it(`writes it as ${style}`, async () => {
      const sb = await sandbox({ patients: 200, exportRetryAfter: style, exportRetryAfterSeconds: 30 });
      try {
        const kick = await call(`${sb.url}/bulk-data/r4/$export`, { headers: { ...appHeaders(sb), 'x-sandbox-export-style': 'async' } });
        const poll = await call(kick.headers.get('content-location')!, { headers: appHeaders(sb) });
        assert.equal(poll.status, 202);
        const value = poll.headers.get('retry-after')!;
        const at = style === 'http-date' ? Date.parse(value) : style === 'epoch-seconds' ? Number(value) * 1000 : Number(value);
        assert.match(value, style === 'http-date' ? /GMT$/ : style === 'epoch-seconds' ? /^\d{10}$/ : /^\d{13}$/);
        assert.ok(Math.abs(at - (Date.now() + 30_000)) < 3000, `${value} is about 30 s from now`);
      } finally {
        await sb.close();
      }
    });
  }
});

describe('sandbox: HTTPS', () => {
  it('serves TLS with the certificate it is given', async () => {
    const tls = { cert: readFileSync(path.join(TLS_DIR, 'localhost.crt')), key: readFileSync(path.join(TLS_DIR, 'localhost.key')) };
    const sb = await sandbox({ patients: 1, tls });
    const dispatcher = new Agent({ connect: { ca: tls.cert } });
    try {
      assert.match(sb.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const m = await request(`${sb.url}/bulk-data/r4/$export?_type=Patient`, { headers: appHeaders(sb), dispatcher });
      const manifest = await m.body.json() as Manifest;
      assert.ok(manifest.output[0].url.startsWith(`${sb.url}/`));
      await assert.rejects(request(`${sb.url}/`), /self-signed|certificate/i, 'an untrusted certificate is refused');
    } finally {
      await dispatcher.close();
      await sb.close();
    }
  });
});

describe('sandbox: the export flags of `npm run sandbox`', () => {
  it('reads the manifest shape, the Retry-After style, gzip and TLS', () => {
    const { options } = parseArgs(['--export-manifest', 'spec', '--export-retry-after=epoch-ms', '--no-export-gzip',
      '--tls-cert', path.join(TLS_DIR, 'localhost.crt'), '--tls-key', path.join(TLS_DIR, 'localhost.key')]);
    assert.equal(options.exportManifest, 'spec');
    assert.equal(options.exportRetryAfter, 'epoch-ms');
    assert.equal(options.exportGzip, false);
    assert.match(String(options.tls?.cert), /BEGIN CERTIFICATE/);
    assert.throws(() => parseArgs(['--export-manifest', 'fancy']), /--export-manifest is production or spec/);
    assert.throws(() => parseArgs(['--export-retry-after', 'soon']), /--export-retry-after is one of/);
    assert.throws(() => parseArgs(['--tls-cert', 'x.crt']), /go together/);
  });
});
