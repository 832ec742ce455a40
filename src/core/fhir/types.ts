import * as l10n from '@vscode/l10n';

/** The few FHIR shapes the client, sandbox, renderers and export engine share (all versions). */
export interface Resource {
  resourceType: string;
  id?: string;
  meta?: { lastUpdated?: string; versionId?: string; [k: string]: unknown };
  text?: { status?: string; div?: string };
  [key: string]: unknown;
}

export interface BundleLink {
  relation: string;
  url: string;
}

export interface BundleEntry<R extends Resource = Resource> {
  fullUrl?: string;
  resource?: R;
  search?: { mode?: string; score?: number };
  [key: string]: unknown;
}

export interface Bundle<R extends Resource = Resource> extends Resource {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  link?: BundleLink[];
  entry?: BundleEntry<R>[];
}

export interface OperationOutcomeIssue {
  severity?: string;
  code?: string;
  diagnostics?: string;
  details?: { text?: string; coding?: { system?: string; code?: string; display?: string }[] };
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue?: OperationOutcomeIssue[];
}

export function isBundle(x: unknown): x is Bundle {
  return typeof x === 'object' && x !== null && (x as Resource).resourceType === 'Bundle';
}

export function isOperationOutcome(x: unknown): x is OperationOutcome {
  return typeof x === 'object' && x !== null && (x as Resource).resourceType === 'OperationOutcome';
}

/** The human text of each issue: details.text, else diagnostics, else the code. */
export function issueTexts(oo: OperationOutcome): string[] {
  return (oo.issue ?? []).map((i) => i.details?.text || i.diagnostics || i.code || l10n.t('unknown issue'));
}

/** The URL of the link with the given relation (`previous` also matches the DSTU2 `prev`/`prior`). */
export function linkUrl(bundle: Bundle, relation: 'self' | 'next' | 'previous' | 'first' | 'last'): string | undefined {
  const rels = relation === 'previous' ? ['previous', 'prev', 'prior'] : [relation];
  return bundle.link?.find((l) => rels.includes(l.relation))?.url;
}
