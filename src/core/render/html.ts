import * as l10n from '@vscode/l10n';
import type { RowView } from '../webviewProtocol/bundleViewer';
import type { Cell, HealthSystemSummary } from '../webviewProtocol/common';
import type { PatientHeaderView, TimelineItem } from '../webviewProtocol/patientRecord';
import { esc, titleAttr } from './escape';

// HTML fragments the webviews build from the host's views. Every interpolated value goes
// through `esc`; markup never comes from data.

export function cellHtml(c: Cell | undefined, tag = 'span', cls = ''): string {
  if (!c) return '';
  return `<${tag}${cls ? ` class="${cls}"` : ''}${titleAttr(c.h)}>${esc(c.t)}</${tag}>`;
}

/** One table row of the bundle viewer (a grid row with a roving tabindex). */
export function rowHtml(row: RowView, selected: boolean, rowIndex: number): string {
  const cells = row.cells.map((c) => `<td role="gridcell"${titleAttr(c.h ?? (c.t.length > 40 ? c.t : undefined))}>${esc(c.t)}</td>`).join('');
  return `<tr class="row${selected ? ' selected' : ''}" role="row" data-key="${row.key}" aria-rowindex="${rowIndex + 2}" aria-selected="${selected}" tabindex="${selected ? 0 : -1}">${cells}</tr>`;
}

const TYPE_ICONS: Record<string, string> = {
  Encounter: 'calendar', Condition: 'warning', Observation: 'pulse', MedicationRequest: 'package',
  MedicationOrder: 'package', MedicationStatement: 'package', MedicationDispense: 'package', MedicationAdministration: 'package',
  Immunization: 'shield', Procedure: 'tools', AllergyIntolerance: 'alert', Patient: 'account', DiagnosticReport: 'graph',
  DocumentReference: 'file-text', CarePlan: 'checklist', Goal: 'target', ImagingStudy: 'device-camera',
};

export function typeIcon(type: string): string {
  return TYPE_ICONS[type] ?? 'symbol-misc';
}

/** One event of the patient timeline. */
export function timelineItemHtml(item: TimelineItem, selected: boolean): string {
  const detail = item.detail ? cellHtml(item.detail, 'span', 'tl-detail') : '';
  const status = item.status ? `<span class="tl-status">${esc(item.status)}</span>` : '';
  return `<li class="tl-item${selected ? ' selected' : ''}" role="option" data-key="${item.key}" data-type="${esc(item.type)}" aria-selected="${selected}" tabindex="${selected ? 0 : -1}">`
    + `${cellHtml(item.date, 'span', 'tl-date')}`
    + `<span class="codicon codicon-${typeIcon(item.type)} tl-icon" aria-hidden="true"></span>`
    + `<span class="tl-body"><span class="tl-type">${esc(item.type)}</span>${cellHtml(item.title, 'span', 'tl-title')}${detail}</span>`
    + `${status}</li>`;
}

export function patientHeaderHtml(h: PatientHeaderView): string {
  const facts = [h.age, h.gender, h.birthDate ? l10n.t('born {0}', h.birthDate) : ''].filter(Boolean).map((f) => `<span>${esc(f)}</span>`).join('');
  const ids = h.identifiers.map((c) => cellHtml(c, 'li')).join('');
  return `<div class="ph-avatar codicon codicon-account" aria-hidden="true"></div>`
    + `<div class="ph-main"><h1 class="ph-name">${esc(h.name)}</h1><div class="ph-facts">${facts}</div>`
    + (ids ? `<ul class="ph-ids">${ids}</ul>` : '') + '</div>';
}

/** A health system with its connect button (`data-system` carries the id back to the host). */
export function healthSystemHtml(s: HealthSystemSummary, action: string): string {
  // only http(s) or inline images; the page's CSP further limits them to the environment's origin
  const logo = s.logoUrl && /^(https?:\/\/|data:image\/)/i.test(s.logoUrl)
    ? `<img class="hs-logo" alt="" src="${esc(s.logoUrl)}">`
    : '<span class="hs-logo codicon codicon-organization" aria-hidden="true"></span>';
  const meta = [s.status, s.apiVersion ? l10n.t('API {0}', s.apiVersion) : ''].filter(Boolean).map((m) => `<span class="hs-tag">${esc(m)}</span>`).join('');
  return `<li class="hs-item" data-system="${esc(s.id)}">${logo}<div class="hs-main"><div class="hs-name">${esc(s.name)}</div>`
    + (s.address ? `<div class="hs-address">${esc(s.address)}</div>` : '')
    + (meta ? `<div class="hs-meta">${meta}</div>` : '')
    + `</div><button class="button secondary hs-connect" data-system="${esc(s.id)}">${esc(action)}</button></li>`;
}
