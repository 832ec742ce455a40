import * as l10n from '@vscode/l10n';
import type { Bundle } from '../fhir/types';
import type { Cell } from '../webviewProtocol/common';
import type { BundleView } from '../webviewProtocol/bundleViewer';
import { humanName, isObject, type Json, reference, str } from './format';
import { indexEntries } from './references';

/** The fields that say whose record a resource is part of, in the order FHIR versions use them. */
const PATIENT_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

/** The Patient reference a resource carries (`Patient/123`, a fullUrl…), if any. */
function patientReference(r: Json): unknown {
  for (const field of PATIENT_FIELDS) {
    const v = r[field];
    if (isObject(v) && (typeof v.reference === 'string' || typeof v.display === 'string')) {
      const ref = str(v.reference);
      // a subject can be a Group or a Device: only a Patient (or an unqualified display) counts
      if (!ref || /(^|\/)Patient\//.test(ref) || ref.startsWith('urn:')) return v;
    }
  }
  return undefined;
}

/**
 * Adds a Patient column to every table of a page whose resources belong to patients (results
 * read app-wide mix everyone's): the patient's name when the page holds that Patient, else the
 * reference's display or the reference itself. Tables of Patients, and pages whose resources
 * name no patient, are left as they are; with `onlyIfSeveral`, so is a page of one patient's data. Row keys are entry indexes, as `bundleView` made them.
 */
export function withPatientColumn(view: BundleView, bundle: Bundle, o: { onlyIfSeveral?: boolean } = {}): BundleView {
  const entries = bundle.entry ?? [];
  const index = indexEntries(bundle);
  const cellOf = (key: number): Cell | undefined => {
    const r = entries[key]?.resource as Json | undefined;
    if (!r) return undefined;
    const ref = patientReference(r);
    if (ref === undefined) return undefined;
    const target = str((ref as Json).reference);
    const patient = target ? entries[index.get(target) ?? -1]?.resource : undefined;
    const name = patient?.resourceType === 'Patient' ? humanName((patient as Json).name) : undefined;
    const shown = reference(ref);
    return name?.t ? { t: name.t, h: target } : { t: shown.t || target, h: target || undefined };
  };
  const cellsByGroup = view.groups.map((g) => (g.type === 'Patient' ? [] : g.rows.map((row) => cellOf(row.key))));
  // one patient's own data (a user's search, a single record's file) needs no such column
  if (o.onlyIfSeveral && new Set(cellsByGroup.flat().map((c) => c?.h ?? c?.t).filter(Boolean)).size < 2) return view;
  const groups = view.groups.map((g, gi) => {
    if (g.type === 'Patient') return g;
    const cells = cellsByGroup[gi];
    if (!cells.some((c) => c?.t)) return g;
    return {
      ...g,
      columns: [g.columns[0], { label: l10n.t('Patient'), weight: 2 }, ...g.columns.slice(1)].filter(Boolean),
      rows: g.rows.map((row, i) => ({ ...row, cells: [row.cells[0], cells[i] ?? { t: '' }, ...row.cells.slice(1)].filter(Boolean) })),
    };
  });
  return { ...view, groups };
}
