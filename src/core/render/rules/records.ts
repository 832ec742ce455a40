import * as l10n from '@vscode/l10n';
import type { Cell } from '../../webviewProtocol/common';
import { attachmentKinds } from '../attachments';
import { choice, code, EMPTY, first, humanName, Json, str } from '../format';
import { at, col, count, firstWhen, join, objects, ref, some, specific, startOf, text, whenChoice, worded } from './helpers';
import type { Rule } from './types';
import { ROLE } from './words';

// Reports, documents, imaging, family history, detected issues, devices, provenance.

const status = col(() => l10n.t('Status'), 1, (r) => code(r.status));

// D/S `effective[x]` + `issued`; D `category` is one CodeableConcept, S too, R a list
const reportDate = (r: Json) => firstWhen(whenChoice(r, 'effective'), at(r.issued));
/** What a report holds: its results and its attachments (Cerner's reports are HTML and PDF, with no results). */
const reportContents = (r: Json): Cell => {
  const kinds = attachmentKinds(r);
  return join(' · ', count(objects(r.result).length, (n) => (n === 1 ? l10n.t('1 result') : l10n.t('{0} results', n))),
    count(objects(r.imagingStudy).length, (n) => (n === 1 ? l10n.t('1 imaging study') : l10n.t('{0} imaging studies', n))), kinds.t ? { t: kinds.t, h: kinds.h } : EMPTY);
};

const diagnosticReport: Rule = {
  label: (r) => code(r.code),
  date: reportDate,
  facts: (r) => join(' · ', reportContents(r), text(r.conclusion, 60)),
  columns: [
    col(() => l10n.t('Report'), 4, (r) => code(r.code)),
    col(() => l10n.t('Category'), 1, (r) => specific(r.category, [])),
    col(() => l10n.t('Effective'), 2, (r) => first(choice(r, 'effective'), reportDate(r).cell)),
    col(() => l10n.t('Contents'), 2, reportContents),
    status,
  ],
  timeline: true,
};

// D/S `created` and `indexed`, R `date` (and `context.period`); D/S `class`, R `category`
const documentDate = (r: Json) => firstWhen(at(r.date), at(r.created), startOf(isObjectField(r.context, 'period')), at(r.indexed));
const documentName = (r: Json): Cell => first(code(r.type), text(r.description), specific(r.category ?? r.class, []), some(objects(r.content).map((c) => ({ t: str((c.attachment as Json | undefined)?.title) })), 1));

function isObjectField(v: unknown, key: string): unknown {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json)[key] : undefined;
}

const documentReference: Rule = {
  label: documentName,
  date: documentDate,
  facts: (r) => join(' · ', code(r.type).t ? text(r.description, 60) : EMPTY, attachmentKinds(r)),
  status: (r) => join(' · ', code(r.status), code(r.docStatus)),
  columns: [
    col(() => l10n.t('Document'), 4, documentName),
    col(() => l10n.t('Category'), 2, (r) => specific(r.category ?? r.class, [])),
    col(() => l10n.t('Date'), 2, (r) => documentDate(r).cell),
    col(() => l10n.t('Attachments'), 2, attachmentKinds),
    status,
  ],
  timeline: true,
};

// D/S `modalityList`, R `modality`; S/R `series[].modality` too
const modalities = (r: Json): Cell => {
  const all = [...objects(r.modalityList ?? r.modality), ...objects(r.series).flatMap((s) => objects(s.modality))];
  const codes = [...new Set(all.map((m) => str(m.code) || str(m.display)).filter(Boolean))];
  return { t: codes.join(', ') };
};
const imagingSize = (r: Json): Cell => join(', ',
  count(typeof r.numberOfSeries === 'number' ? r.numberOfSeries : objects(r.series).length, (n) => (n === 1 ? l10n.t('1 series') : l10n.t('{0} series', n))),
  count(typeof r.numberOfInstances === 'number' ? r.numberOfInstances : 0, (n) => (n === 1 ? l10n.t('1 instance') : l10n.t('{0} instances', n))));
const imagingName = (r: Json): Cell => first(text(r.description), some(objects(r.procedureCode).map((c) => code(c)), 2), modalities(r).t ? { t: l10n.t('{0} study', modalities(r).t) } : EMPTY);

const imagingStudy: Rule = {
  label: imagingName,
  date: (r) => at(r.started),
  facts: (r) => join(' · ', modalities(r), imagingSize(r)),
  status: (r) => code(r.status),
  columns: [
    col(() => l10n.t('Study'), 4, imagingName),
    col(() => l10n.t('Modality'), 1, modalities),
    col(() => l10n.t('Series / instances'), 2, imagingSize),
    col(() => l10n.t('Started'), 2, (r) => at(r.started).cell),
    status,
  ],
  timeline: true,
};

// D `name` is the relative's name (a string); relationship is a v3 RoleCode in every version
const relative = (r: Json): Cell => worded(r.relationship, ROLE);
/** An age in UCUM units, as words (`a` reads "years"). */
const UCUM_AGE: Readonly<Record<string, (n: number) => string>> = {
  a: (n) => (n === 1 ? l10n.t('1 year') : l10n.t('{0} years', n)),
  mo: (n) => (n === 1 ? l10n.t('1 month') : l10n.t('{0} months', n)),
  wk: (n) => (n === 1 ? l10n.t('1 week') : l10n.t('{0} weeks', n)),
  d: (n) => (n === 1 ? l10n.t('1 day') : l10n.t('{0} days', n)),
};
/** An onset: an Age (UCUM `a` reads "years"), a range, a date or a string. */
const onsetOf = (c: Json): Cell => {
  const q = c.onsetAge ?? c.onsetQuantity;
  if (q && typeof q === 'object' && !Array.isArray(q)) {
    const a = q as Json;
    const age = own(UCUM_AGE, str(a.code)) ?? own(UCUM_AGE, str(a.unit));
    if (age && typeof a.value === 'number') return { t: age(a.value) };
  }
  return choice(c, 'onset');
};
const familyConditions = (r: Json): Cell => some(objects(r.condition).map((c) => {
  const what = code(c.code);
  const onset = onsetOf(c);
  return onset.t && what.t ? { t: l10n.t('{0} (onset {1})', what.t, onset.t), h: what.h } : what;
}), 3);
const familyLabel = (r: Json): Cell => {
  const who = relative(r);
  const name = first(humanName(r.name), { t: str(r.name) });
  if (who.t && name.t) return { t: `${capital(who.t)} (${name.t})`, h: who.h };
  return who.t ? { ...who, t: capital(who.t) } : name;
};

const familyMemberHistory: Rule = {
  label: familyLabel,
  date: (r) => at(r.date),
  facts: (r) => join(' · ', familyConditions(r), r.deceasedBoolean === true ? { t: l10n.t('deceased') } : EMPTY),
  columns: [
    col(() => l10n.t('Relationship'), 2, (r) => first(relative(r), familyLabel(r))),
    col(() => l10n.t('Conditions'), 5, familyConditions),
    col(() => l10n.t('Name'), 2, (r) => first(humanName(r.name), { t: str(r.name) })),
    col(() => l10n.t('Recorded'), 1, (r) => at(r.date).cell),
    status,
  ],
};

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function capital(s: string): string {
  return s ? `${s[0].toUpperCase()}${s.slice(1)}` : s;
}

// D/S `category` + `date`, R `code` + `identified[x]`; `detail` is free text in every version
const issueName = (r: Json): Cell => first(code(r.code), code(r.category), text(r.detail, 60));
const issueDate = (r: Json) => firstWhen(whenChoice(r, 'identified'), at(r.date));

const detectedIssue: Rule = {
  label: issueName,
  date: issueDate,
  facts: (r) => join(' · ', r.severity ? { t: l10n.t('{0} severity', str(r.severity)) } : EMPTY, code(r.code ?? r.category).t ? text(r.detail, 80) : EMPTY),
  columns: [
    col(() => l10n.t('Issue'), 3, issueName),
    col(() => l10n.t('Severity'), 1, (r) => code(r.severity)),
    col(() => l10n.t('Detail'), 4, (r) => text(r.detail, 120)),
    col(() => l10n.t('Identified'), 2, (r) => issueDate(r).cell),
    status,
  ],
};

// R `deviceName[]`; D/S `model` + `manufacturer`; UDI: D string, S `udi` object, R `udiCarrier[]`
const deviceName = (r: Json): Cell => first(
  some(objects(r.deviceName).map((n) => ({ t: str(n.name) })), 1),
  code(r.type),
  { t: [str(r.manufacturer), str(r.model) || str(r.modelNumber)].filter(Boolean).join(' ') },
  { t: isUdi(r.udi) },
);
const udi = (r: Json): Cell => first(
  { t: typeof r.udi === 'string' ? r.udi : isUdi(r.udi) },
  some(objects(r.udiCarrier).map((u) => ({ t: str(u.carrierHRF) || str(u.deviceIdentifier) })), 1),
);

function isUdi(v: unknown): string {
  return v && typeof v === 'object' ? str((v as Json).name) || str((v as Json).carrierHRF) || str((v as Json).deviceIdentifier) : '';
}

const device: Rule = {
  label: deviceName,
  facts: (r) => join(' · ', code(r.type).t && code(r.type).t !== deviceName(r).t ? code(r.type) : EMPTY, { t: [str(r.manufacturer), str(r.model) || str(r.modelNumber)].filter(Boolean).join(' ') }, udi(r).t ? { t: l10n.t('UDI {0}', udi(r).t) } : EMPTY),
  columns: [
    col(() => l10n.t('Device'), 4, deviceName),
    col(() => l10n.t('Type'), 2, (r) => code(r.type)),
    col(() => l10n.t('Manufacturer'), 2, (r) => ({ t: str(r.manufacturer) })),
    col(() => l10n.t('UDI'), 2, udi),
    status,
  ],
};

const targets = (n: number): string => (n === 1 ? l10n.t('1 target') : l10n.t('{0} targets', n));

// D `activity` CodeableConcept, S Coding, R CodeableConcept; agents: D `actor`, S `whoReference`, R `who`
const provenanceAgents = (r: Json): Cell => some(objects(r.agent).map((a) => first(ref(a.who, r), ref(a.whoReference, r), { t: str(a.whoUri) }, ref(a.actor, r), ref(a.userId))), 2);
const provenanceName = (r: Json): Cell => first(code(r.activity), some(objects(r.reason).map((x) => code(x)), 1), count(objects(r.target).length, targets));

const provenance: Rule = {
  label: provenanceName,
  date: (r) => firstWhen(at(r.recorded), whenChoice(r, 'occurred'), startOf(r.period)),
  facts: (r) => join(' · ', provenanceAgents(r), code(r.activity).t ? count(objects(r.target).length, targets) : EMPTY),
  columns: [
    col(() => l10n.t('Activity'), 3, provenanceName),
    col(() => l10n.t('Agent'), 3, provenanceAgents),
    col(() => l10n.t('Targets'), 3, (r) => some(objects(r.target).map((t) => ref(t)), 2)),
    col(() => l10n.t('Recorded'), 2, (r) => at(r.recorded).cell),
  ],
};

export const RECORDS: Record<string, Rule> = {
  DiagnosticReport: diagnosticReport,
  DocumentReference: documentReference,
  ImagingStudy: imagingStudy,
  FamilyMemberHistory: familyMemberHistory,
  DetectedIssue: detectedIssue,
  Device: device,
  Provenance: provenance,
};

