import * as l10n from '@vscode/l10n';
import type { Cell } from '../../webviewProtocol/common';
import { code, dateTime, EMPTY, first, isObject, Json, period, quantity, str } from '../format';
import { at, col, firstWhen, join, objects, ref, some, startOf } from './helpers';
import type { Rule } from './types';

// Coverage, Claim, ExplanationOfBenefit.

const status = col(() => l10n.t('Status'), 1, (r) => code(r.status));

/** Money totals: R4 EOB `total[]` (the submitted amount first), Claim `total`, STU3 `totalCost`, DSTU2 item nets. */
export function claimTotal(r: Json): Cell {
  if (Array.isArray(r.total)) {
    const totals = r.total.filter(isObject);
    const submitted = totals.find((t) => /submitted/i.test(code(t.category).t)) ?? totals[0];
    return submitted ? quantity(submitted.amount) : EMPTY;
  }
  const direct = first(quantity(r.total), quantity(r.totalCost), isObject(r.payment) ? quantity(r.payment.amount) : EMPTY);
  if (direct.t) return direct;
  const nets = objects(r.item).map((i) => i.net).filter(isObject);
  if (!nets.length) return EMPTY;
  const sum = nets.reduce((a, n) => a + (typeof n.value === 'number' ? n.value : 0), 0);
  const unit = str(nets[0].currency) || str(nets[0].code);
  return { t: `${Math.round(sum * 100) / 100}${unit ? ` ${unit}` : ''}` };
}

// D `type` is a code (institutional | oral | pharmacy | professional | vision), S/R a CodeableConcept
const claimType = (r: Json): Cell => first(code(r.type), code(r.use));
const provider = (r: Json): Cell => first(ref(r.provider), ref(r.organization), ref(r.insurer));
const claimDate = (r: Json) => firstWhen(startOf(r.billablePeriod), at(r.created));

const claim: Rule = {
  // DSTU2 EOBs carry little more than an outcome and a disposition
  label: (r) => {
    const type = claimType(r);
    return first(type.t ? { t: l10n.t('{0} claim', `${type.t[0].toUpperCase()}${type.t.slice(1)}`), h: type.h } : EMPTY, { t: str(r.disposition) }, code(r.outcome));
  },
  date: claimDate,
  facts: (r) => join(' · ', claimTotal(r), provider(r)),
  columns: [
    col(() => l10n.t('Type'), 2, (r) => first(claimType(r), code(r.outcome))),
    status,
    col(() => l10n.t('Billable period'), 3, (r) => first(period(r.billablePeriod), dateTime(r.created))),
    col(() => l10n.t('Provider'), 3, provider),
    col(() => l10n.t('Total'), 1, claimTotal),
  ],
};

// D `issuer` + `plan`/`subPlan`/`group`; S `payor[]` + `grouping`; R `payor[]` + `class[]`
const payer = (r: Json): Cell => first(some(objects(r.payor).map((p) => ref(p)), 2), ref(r.issuer));
const plan = (r: Json): Cell => {
  const grouping = isObject(r.grouping) ? r.grouping : {};
  const classes = objects(r.class).map((c) => ({ t: str(c.name) || str(c.value) }));
  return first(some(classes, 2), { t: str(grouping.planDisplay) || str(grouping.plan) || str(grouping.groupDisplay) || str(grouping.group) }, { t: str(r.plan) || str(r.group) });
};
const coverageType = (r: Json): Cell => code(r.type);

const coverage: Rule = {
  label: (r) => first(join(' · ', payer(r), plan(r)), coverageType(r)),
  date: (r) => startOf(r.period),
  facts: (r) => join(' · ', coverageType(r), str(r.subscriberId) ? { t: l10n.t('subscriber {0}', str(r.subscriberId)) } : EMPTY, code(r.relationship)),
  columns: [
    col(() => l10n.t('Payer'), 3, payer),
    col(() => l10n.t('Type'), 2, coverageType),
    col(() => l10n.t('Plan'), 2, plan),
    col(() => l10n.t('Subscriber id'), 2, (r) => ({ t: str(r.subscriberId) })),
    col(() => l10n.t('Period'), 2, (r) => period(r.period)),
    status,
  ],
};

export const FINANCIAL: Record<string, Rule> = {
  Claim: claim,
  ExplanationOfBenefit: claim,
  Coverage: coverage,
};
