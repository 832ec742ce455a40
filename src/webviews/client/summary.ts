import { esc } from '../../core/render/escape';
import type { CountBar, ExportSummaryRequest, ExportSummaryView, ScanProgress } from '../../core/webviewProtocol/exportSummary';
import { parseExportSummaryUpdate } from '../../core/webviewProtocol/exportSummary';
import { barChart, columnChart } from './lib/charts';
import { el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';

const host = connectHost<ExportSummaryRequest, Record<string, never>>();
const fmt = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => (n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`);

const STATE_TEXT: Record<string, string> = {
  verified: 'downloaded and verified', incomplete: 'incomplete', unlisted: 'not in summary.json', changed: 'changed since the export', missing: 'missing',
};

const title = el('h1', { class: 'title' });
const meta = el('div', { class: 'meta' });
const scan = el('div', { class: 'count', 'aria-live': 'polite' });
const status = new StatusArea();
const body = el('main', { class: 'summary-body', tabindex: '-1' });
const toolbar = el('header', { class: 'toolbar main-toolbar' },
  el('div', { class: 'title-block' }, title, meta),
  scan,
  el('div', { class: 'actions' },
    iconButton('database', 'Copy Query for DuckDB', 'copyQuery', { text: true }),
    iconButton('refresh', 'Read Again', 'rescan', { text: true })));
document.getElementById('app')?.append(toolbar, status.element, body);

onAction(document.body, (action, target) => {
  if (action === 'copyQuery') host.post({ type: 'copyQuery' });
  else if (action === 'rescan') host.post({ type: 'rescan' });
  else if (action === 'openFile') host.post({ type: 'openFile', name: target.dataset.name ?? '' });
});

function fileBars(v: ExportSummaryView): CountBar[] {
  return v.files.map((f) => ({
    label: f.name,
    value: f.bytes,
    tone: f.kind !== 'data' ? f.kind : f.state === 'verified' ? 'verified' : f.state,
    note: [f.kind === 'data' ? undefined : f.kind === 'error' ? 'error reports' : 'deleted entries', STATE_TEXT[f.state] ?? f.state,
      f.rows !== undefined ? `${fmt(f.rows)} lines` : undefined, f.badLines ? `${fmt(f.badLines)} bad lines` : undefined, f.warning].filter(Boolean).join(', '),
  }));
}

function filesTable(v: ExportSummaryView): string {
  const rows = v.files.map((f) => `<tr><td><button type="button" class="link" data-action="openFile" data-name="${esc(f.name)}">${esc(f.name)}</button></td>`
    + `<td>${esc(f.type)}</td><td>${esc(f.kind)}</td><td class="num">${esc(mb(f.bytes))}</td><td class="num">${f.rows === undefined ? '' : esc(fmt(f.rows))}</td>`
    + `<td><span class="state state-${esc(f.state)}">${esc(STATE_TEXT[f.state] ?? f.state)}</span>${f.badLines ? ` · ${esc(fmt(f.badLines))} bad lines` : ''}${f.warning ? ` · ${esc(f.warning)}` : ''}</td></tr>`).join('');
  return `<section class="card wide"><h2>Files</h2><table class="data files"><thead><tr><th scope="col">File</th><th scope="col">Type</th><th scope="col">Kind</th><th scope="col">Size</th><th scope="col">Lines</th><th scope="col">State</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function render(v: ExportSummaryView, scanning: boolean, p: ScanProgress | undefined): void {
  title.textContent = v.title;
  document.title = v.title;
  meta.textContent = [v.fhirVersion?.toUpperCase(), v.status, `${fmt(v.resources)} resources`, mb(v.bytes), `${fmt(v.patients.count)} patients`].filter(Boolean).join(' · ');
  scan.textContent = scanning && p ? `Reading files ${p.filesDone} of ${p.files} (${p.bytes ? Math.floor((100 * p.bytesDone) / p.bytes) : 100}%)…` : '';
  const stats = `<p class="stats">${esc(`${fmt(v.patients.count)} patients${v.patients.capped ? ' (counting stopped at 2,000,000)' : ''}; median ${fmt(v.patients.median)}, most ${fmt(v.patients.max)} resources per patient; ${fmt(v.patients.withoutPatient)} resources name no patient.`)}</p>`;
  const problems = v.errors.problems.length || v.errors.messages.length
    ? `<section class="card wide"><h2>Problems and error reports</h2><ul class="messages">${[...v.errors.problems, ...v.errors.messages].slice(0, 60).map((m) => `<li>${esc(m)}</li>`).join('')}</ul></section>`
    : '';
  body.innerHTML = [
    `<section class="card">${barChart(v.byType, { id: 'types', title: 'Resources per type', unit: 'resources', labelHeader: 'Type', empty: 'No resources read yet.' })}</section>`,
    `<section class="card">${columnChart(v.patients.histogram, { id: 'patients', title: 'Patients by number of resources', unit: 'patients', labelHeader: 'Resources per patient', empty: 'No resource names a patient.' })}${stats}</section>`,
    `<section class="card">${columnChart(v.timeline.bars, { id: 'timeline', title: `Resources per ${v.timeline.unit} of their clinical date`, unit: 'resources', labelHeader: v.timeline.unit === 'year' ? 'Year' : 'Month', empty: 'No dated resources.' })}<p class="stats">${esc(`${fmt(v.timeline.undated)} resources have no clinical date.`)}</p></section>`,
    `<section class="card">${barChart(fileBars(v), { id: 'files', title: 'File sizes and verification', unit: 'on disk', format: mb, labelHeader: 'File', empty: 'No files.' })}`
      + '<p class="legend"><span class="key tone-verified"></span>verified <span class="key tone-incomplete"></span>incomplete <span class="key tone-unlisted"></span>not in summary <span class="key tone-deleted"></span>deleted entries <span class="key tone-error"></span>error reports</p></section>',
    `<section class="card">${barChart(v.errors.bySeverity.map((b) => ({ ...b, tone: 'error' })), { id: 'errors', title: `Error reports (${fmt(v.errors.reports)})`, unit: 'issues', labelHeader: 'Severity', empty: 'The server reported no errors.' })}</section>`,
    `<section class="card">${barChart(v.deleted.byType.map((b) => ({ ...b, tone: 'deleted' })), { id: 'deleted', title: `Deleted entries (${fmt(v.deleted.entries)})`, unit: 'entries', labelHeader: 'Type', empty: 'The export lists no deleted resources.' })}</section>`,
    problems,
    filesTable(v),
  ].join('');
}

onHostMessage(parseExportSummaryUpdate, (u) => {
  switch (u.type) {
    case 'summary':
      status.busy(u.scanning, 'Reading the export…');
      render(u.view, u.scanning, u.progress);
      break;
    case 'busy':
      status.busy(u.busy, u.message);
      break;
    case 'error':
      status.busy(false);
      status.error(u.message);
      break;
    case 'detail':
      break;
  }
});

host.post({ type: 'ready' });
