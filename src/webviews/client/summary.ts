import './lib/boot';
import * as l10n from '@vscode/l10n';
import { esc } from '../../core/render/escape';
import type { CountBar, ExportSummaryRequest, ExportSummaryView, ScanProgress } from '../../core/webviewProtocol/exportSummary';
import { parseExportSummaryUpdate } from '../../core/webviewProtocol/exportSummary';
import { barChart, columnChart } from './lib/charts';
import { el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';

const host = connectHost<ExportSummaryRequest, Record<string, never>>();
const fmt = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => (n < 1048576 ? l10n.t('{0} KB', Math.max(1, Math.round(n / 1024))) : l10n.t('{0} MB', (n / 1048576).toFixed(1)));
const lines = (n: number) => (n === 1 ? l10n.t('1 line') : l10n.t('{0} lines', fmt(n)));
const badLines = (n: number) => (n === 1 ? l10n.t('1 bad line') : l10n.t('{0} bad lines', fmt(n)));

function stateText(state: string): string {
  switch (state) {
    case 'verified': return l10n.t('downloaded and verified');
    case 'incomplete': return l10n.t('incomplete');
    case 'unlisted': return l10n.t('not in summary.json');
    case 'changed': return l10n.t('changed since the export');
    case 'missing': return l10n.t('missing');
    default: return state;
  }
}

function kindText(kind: string): string {
  switch (kind) {
    case 'data': return l10n.t('data');
    case 'error': return l10n.t('error reports');
    case 'deleted': return l10n.t('deleted entries');
    default: return kind;
  }
}

const title = el('h1', { class: 'title' });
const meta = el('div', { class: 'meta' });
const scan = el('div', { class: 'count', 'aria-live': 'polite' });
const status = new StatusArea();
const body = el('main', { class: 'summary-body', tabindex: '-1' });
const toolbar = el('header', { class: 'toolbar main-toolbar' },
  el('div', { class: 'title-block' }, title, meta),
  scan,
  el('div', { class: 'actions' },
    iconButton('database', l10n.t('Copy Query for DuckDB'), 'copyQuery', { text: true }),
    iconButton('refresh', l10n.t('Read Again'), 'rescan', { text: true })));
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
    note: [f.kind === 'data' ? undefined : kindText(f.kind), stateText(f.state),
      f.rows !== undefined ? lines(f.rows) : undefined, f.badLines ? badLines(f.badLines) : undefined, f.warning].filter(Boolean).join(', '),
  }));
}

function filesTable(v: ExportSummaryView): string {
  const rows = v.files.map((f) => `<tr><td><button type="button" class="link" data-action="openFile" data-name="${esc(f.name)}">${esc(f.name)}</button></td>`
    + `<td>${esc(f.type)}</td><td>${esc(kindText(f.kind))}</td><td class="num">${esc(mb(f.bytes))}</td><td class="num">${f.rows === undefined ? '' : esc(fmt(f.rows))}</td>`
    + `<td><span class="state state-${esc(f.state)}">${esc(stateText(f.state))}</span>${f.badLines ? ` · ${esc(badLines(f.badLines))}` : ''}${f.warning ? ` · ${esc(f.warning)}` : ''}</td></tr>`).join('');
  const head = [l10n.t('File'), l10n.t('Type'), l10n.t('Kind'), l10n.t('Size'), l10n.t('Lines'), l10n.t('State')].map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  return `<section class="card wide"><h2>${esc(l10n.t('Files'))}</h2><table class="data files"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

function render(v: ExportSummaryView, scanning: boolean, p: ScanProgress | undefined): void {
  title.textContent = v.title;
  document.title = v.title;
  const resources = v.resources === 1 ? l10n.t('1 resource') : l10n.t('{0} resources', fmt(v.resources));
  const patients = v.patients.count === 1 ? l10n.t('1 patient') : l10n.t('{0} patients', fmt(v.patients.count));
  meta.textContent = [v.fhirVersion?.toUpperCase(), v.status, resources, mb(v.bytes), patients].filter(Boolean).join(' · ');
  scan.textContent = scanning && p ? l10n.t('Reading files {0} of {1} ({2}%)…', p.filesDone, p.files, p.bytes ? Math.floor((100 * p.bytesDone) / p.bytes) : 100) : '';
  const statsText = [
    v.patients.capped ? l10n.t('{0} (counting stopped at {1})', patients, fmt(2_000_000)) : patients,
    l10n.t('median {0}, most {1} resources per patient', fmt(v.patients.median), fmt(v.patients.max)),
    v.patients.withoutPatient === 1 ? l10n.t('1 resource names no patient.') : l10n.t('{0} resources name no patient.', fmt(v.patients.withoutPatient)),
  ].join('; ');
  const stats = `<p class="stats">${esc(statsText)}</p>`;
  const undated = v.timeline.undated === 1 ? l10n.t('1 resource has no clinical date.') : l10n.t('{0} resources have no clinical date.', fmt(v.timeline.undated));
  const problems = v.errors.problems.length || v.errors.messages.length
    ? `<section class="card wide"><h2>${esc(l10n.t('Problems and error reports'))}</h2><ul class="messages">${[...v.errors.problems, ...v.errors.messages].slice(0, 60).map((m) => `<li>${esc(m)}</li>`).join('')}</ul></section>`
    : '';
  const legend = ([['verified', l10n.t('verified')], ['incomplete', l10n.t('incomplete')], ['unlisted', l10n.t('not in summary')], ['deleted', l10n.t('deleted entries')], ['error', l10n.t('error reports')]] as const)
    .map(([tone, text]) => `<span class="key tone-${tone}"></span>${esc(text)}`).join(' ');
  body.innerHTML = [
    `<section class="card">${barChart(v.byType, { id: 'types', title: l10n.t('Resources per type'), unit: l10n.t('resources'), labelHeader: l10n.t('Type'), empty: l10n.t('No resources read yet.') })}</section>`,
    `<section class="card">${columnChart(v.patients.histogram, { id: 'patients', title: l10n.t('Patients by number of resources'), unit: l10n.t('patients'), labelHeader: l10n.t('Resources per patient'), empty: l10n.t('No resource names a patient.') })}${stats}</section>`,
    `<section class="card">${columnChart(v.timeline.bars, {
      id: 'timeline', title: v.timeline.unit === 'year' ? l10n.t('Resources per year of their clinical date') : l10n.t('Resources per month of their clinical date'),
      unit: l10n.t('resources'), labelHeader: v.timeline.unit === 'year' ? l10n.t('Year') : l10n.t('Month'), empty: l10n.t('No dated resources.'),
    })}<p class="stats">${esc(undated)}</p></section>`,
    `<section class="card">${barChart(fileBars(v), { id: 'files', title: l10n.t('File sizes and verification'), unit: l10n.t('on disk'), format: mb, labelHeader: l10n.t('File'), empty: l10n.t('No files.') })}`
      + `<p class="legend">${legend}</p></section>`,
    `<section class="card">${barChart(v.errors.bySeverity.map((b) => ({ ...b, tone: 'error' })), { id: 'errors', title: l10n.t('Error reports ({0})', fmt(v.errors.reports)), unit: l10n.t('issues'), labelHeader: l10n.t('Severity'), empty: l10n.t('The server reported no errors.') })}</section>`,
    `<section class="card">${barChart(v.deleted.byType.map((b) => ({ ...b, tone: 'deleted' })), { id: 'deleted', title: l10n.t('Deleted entries ({0})', fmt(v.deleted.entries)), unit: l10n.t('entries'), labelHeader: l10n.t('Type'), empty: l10n.t('The export lists no deleted resources.') })}</section>`,
    problems,
    filesTable(v),
  ].join('');
}

onHostMessage(parseExportSummaryUpdate, (u) => {
  switch (u.type) {
    case 'summary':
      status.busy(u.scanning, l10n.t('Reading the export…'));
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
