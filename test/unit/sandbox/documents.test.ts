import * as assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { jsPDF } from 'jspdf';
import type { Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appHeaders, call, sandbox } from './helpers';

interface Attachment { contentType: string; data?: string; size?: number; title?: string }
interface Manifest { output: { type: string; url: string }[] }

// jsPDF's documented plugin hook runs once per new document: it counts the PDFs rendered
let rendered = 0;
jsPDF.API.events.push(['initialized', () => { rendered++; }]);

function pdfsOf(r: Resource): Attachment[] {
  const forms = (r.presentedForm ?? []) as Attachment[];
  const content = ((r.content ?? []) as { attachment: Attachment }[]).map((c) => c.attachment);
  return [...forms, ...content].filter((a) => a.contentType === 'application/pdf');
}

/** The text a PDF draws (its content streams inflated). */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  let text = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const body = Buffer.from(raw.slice(start, raw.indexOf('endstream', start)), 'latin1');
    try {
      text += inflateSync(body).toString('latin1');
    } catch {
      // not a Flate stream
    }
  }
  return text;
}

describe('sandbox: report and note PDFs', function () {
  this.timeout(60000);
  let sb: RunningSandbox;
  // a seed of its own: PDFs other tests rendered in this process are not counted as this test's
  before(async () => { sb = await sandbox({ patients: 30, seed: 7321 }); });
  after(() => sb.close());

  /** The files of an export of the report types, in the manifest's order. */
  const exportFiles = async (): Promise<string[]> => {
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=DiagnosticReport,DocumentReference,Observation`, { headers: appHeaders(sb) })).body;
    return Promise.all(m.output.map(async (o) => (await call(o.url, { headers: appHeaders(sb) })).text));
  };

  it('renders each distinct PDF once: an export repeated after the reports left every cache renders none and writes the same bytes', async () => {
    rendered = 0;
    const first = await exportFiles();
    const pdfs = first.flatMap((t) => t.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource)).flatMap(pdfsOf);
    assert.ok(pdfs.length > 50, `the export carries PDFs (${pdfs.length})`);
    assert.ok(rendered > 0 && rendered <= pdfs.length, `the first export rendered its PDFs (${rendered})`);
    // every patient's every type again: far more than the sandbox keeps built
    await call(`${sb.url}/bulk-data/r4/$export`, { headers: appHeaders(sb) });
    rendered = 0;
    const again = await exportFiles();
    assert.equal(rendered, 0, 'the repeated export rendered no PDF again');
    assert.deepEqual(again, first, 'and wrote the same bytes');
  });

  it('draws every line of a lab report into its one-page PDF: title, patient, each result and when it was collected', async () => {
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=DiagnosticReport`, { headers: appHeaders(sb) })).body;
    const reports = (await call(m.output[0].url, { headers: appHeaders(sb) })).text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource);
    const htmlOf = (r: Resource) => Buffer.from(((r.presentedForm as Attachment[]).find((a) => a.contentType === 'text/html')!).data!, 'base64').toString();
    const rowsOf = (r: Resource) => [...htmlOf(r).matchAll(/<tr><th>(.*?)<\/th><td>(.*?)<\/td><\/tr>/g)].map((x) => `${x[1]}: ${x[2]}`.replace(/&amp;/g, '&'));
    // a generated lab panel (the demo patients' reports list results without values)
    const report = reports.find((r) => pdfsOf(r).length && rowsOf(r).length >= 3)!;
    assert.ok(report, 'a lab report with a PDF and results');
    const rows = rowsOf(report);
    const pdf = Buffer.from(pdfsOf(report)[0].data!, 'base64');
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.toString('latin1'), /\/Count 1\b/);
    const text = pdfText(pdf);
    // PDF strings escape parentheses and backslashes; lines may wrap, so look for each row's start
    const drawn = text.replace(/\\([()\\])/g, '$1');
    for (const row of rows) assert.ok(drawn.includes(row.slice(0, 30)), `the PDF draws "${row}"`);
    assert.ok(drawn.includes(String((report.code as { text: string }).text).slice(0, 20)), 'the title');
    assert.ok(drawn.includes('Collected '), 'and when it was collected');
    assert.ok(drawn.includes(String((report.subject as { display: string }).display).slice(0, 20)), 'and whose report it is');
  });
});
