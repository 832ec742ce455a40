import * as l10n from '@vscode/l10n';
import type { HealthSystemSummary } from '../webviewProtocol/common';
import { address, isObject, Json, str } from './format';
import { isShowableImage } from './urls';

/**
 * Health systems from either answer the API gives: the `connect/system/clinical` list
 * (`[{id, name, logo, status, api_version, locations}]`) or a provider-search Bundle of
 * Organizations that carry the 1up system id and a logo in extensions. Entries without an id
 * or a name are left out (nothing could connect to them).
 */
export function toHealthSystems(answer: unknown): HealthSystemSummary[] {
  const out: HealthSystemSummary[] = [];
  if (Array.isArray(answer)) {
    for (const s of answer.filter(isObject)) {
      const locations = Array.isArray(s.locations) ? s.locations.filter(isObject) : [];
      const loc = locations[0];
      push(out, {
        id: str(s.id),
        name: str(s.name),
        logoUrl: str(s.logo) || undefined,
        address: loc ? address(loc.address).t || str(loc.name) : undefined,
        status: str(s.status) || undefined,
        apiVersion: str(s.api_version) || str(s.apiVersion) || undefined,
      });
    }
    return out;
  }
  if (isObject(answer) && Array.isArray(answer.entry)) {
    for (const e of answer.entry.filter(isObject)) {
      const r = isObject(e.resource) ? e.resource : undefined;
      if (!r) continue;
      const ext = extensions(r);
      const systemId = ext('system-id') || ext('health-system') || identifierLike(r) || str(r.id);
      push(out, {
        id: systemId,
        name: str(r.name),
        logoUrl: ext('logo') || undefined,
        address: address(r.address).t || undefined,
        status: ext('status') || (typeof r.active === 'boolean' ? (r.active ? l10n.t('active') : l10n.t('inactive')) : undefined),
        apiVersion: ext('api-version') || ext('fhir-version') || ext('version') || undefined,
      });
    }
  }
  return out;
}

function push(out: HealthSystemSummary[], s: HealthSystemSummary): void {
  if (!s.id || !s.name) return;
  out.push(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && v !== '')) as unknown as HealthSystemSummary);
}

/** The value of the first extension whose URL ends with (or contains) `name`. */
function extensions(r: Json): (name: string) => string {
  const list = Array.isArray(r.extension) ? r.extension.filter(isObject) : [];
  return (name) => {
    const e = list.find((x) => str(x.url).toLowerCase().endsWith(name)) ?? list.find((x) => str(x.url).toLowerCase().includes(name));
    if (!e) return '';
    for (const [k, v] of Object.entries(e)) if (k.startsWith('value')) return str(v);
    return '';
  };
}

function identifierLike(r: Json): string {
  const ids = Array.isArray(r.identifier) ? r.identifier.filter(isObject) : [];
  const oneUp = ids.find((i) => /1up/i.test(str(i.system)));
  return oneUp ? str(oneUp.value) : '';
}

/** Drops logos the webview may not load (its CSP allows only the environment's origin and data:). */
export function withShowableLogos(systems: HealthSystemSummary[], environmentOrigin: string | undefined): HealthSystemSummary[] {
  return systems.map((s) => (s.logoUrl && !isShowableImage(s.logoUrl, environmentOrigin) ? { ...s, logoUrl: undefined } : s));
}
