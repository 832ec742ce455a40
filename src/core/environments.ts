import * as l10n from '@vscode/l10n';

export const FHIR_VERSIONS = ['dstu2', 'stu3', 'r4'] as const;
export type FhirVersion = (typeof FHIR_VERSIONS)[number];

export function isFhirVersion(v: unknown): v is FhirVersion {
  return typeof v === 'string' && (FHIR_VERSIONS as readonly string[]).includes(v);
}

/**
 * Where one 1upHealth deployment lives. The FHIR and bulk bases are without the version:
 * the client appends `/{version}` (`{fhirUrl}/r4/Patient`, `{bulkDataUrl}/r4/$export`).
 */
export interface Environment {
  readonly name: string;
  /** user management and connect: `{apiUrl}/user-management/v1/user`, `{apiUrl}/connect` */
  readonly apiUrl: string;
  /** `https://api.1up.health/fhir` (reference) or `https://api.1up.health` (newer docs) */
  readonly fhirUrl: string;
  readonly tokenUrl: string;
  readonly bulkDataUrl: string;
  readonly fhirVersion: FhirVersion;
  /**
   * Where user-management calls carry the app keys: `auto` (the reference: form fields on
   * POST/PUT, query parameters on GET) or `headers` (`client_id`/`client_secret` headers, which
   * keeps the secret out of URLs and so out of access logs). Absent means `auto`.
   */
  readonly userManagementKeys?: UserManagementKeys;
}

export const USER_MANAGEMENT_KEYS = ['auto', 'headers'] as const;
export type UserManagementKeys = (typeof USER_MANAGEMENT_KEYS)[number];

export const DEFAULT_ENVIRONMENT_NAME = '1upHealth';
export const SANDBOX_ENVIRONMENT_NAME = 'Local Sandbox';

export const DEFAULT_ENVIRONMENT: Environment = {
  name: DEFAULT_ENVIRONMENT_NAME,
  apiUrl: 'https://api.1up.health',
  fhirUrl: 'https://api.1up.health/fhir',
  tokenUrl: 'https://api.1up.health/fhir/oauth2/token',
  bulkDataUrl: 'https://analytics.1up.health/bulk-data',
  fhirVersion: 'r4',
};

/** The environment for a local sandbox at `baseUrl` (e.g. `http://127.0.0.1:4123`). */
export function sandboxEnvironment(baseUrl: string): Environment {
  const b = baseUrl.replace(/\/+$/, '');
  return {
    name: SANDBOX_ENVIRONMENT_NAME,
    apiUrl: b,
    fhirUrl: `${b}/fhir`,
    tokenUrl: `${b}/fhir/oauth2/token`,
    bulkDataUrl: `${b}/bulk-data`,
    fhirVersion: 'r4',
  };
}

/** Checks one entry of the `oneup.environments` setting; answers the problems found. */
export function validateEnvironment(name: string, raw: unknown): { env?: Environment; problems: string[] } {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null) return { problems: [l10n.t('"{0}" must be an object', name)] };
  const r = raw as Record<string, unknown>;
  const url = (key: string): string => {
    const v = r[key];
    if (typeof v !== 'string' || !v) { problems.push(l10n.t('"{0}".{1} is missing', name, key)); return ''; }
    try {
      const u = new URL(v);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(l10n.t('"{0}".{1} must be an http(s) URL', name, key));
      if (u.username || u.password) problems.push(l10n.t('"{0}".{1} must not contain credentials', name, key));
    } catch {
      problems.push(l10n.t('"{0}".{1} is not a URL: {2}', name, key, v));
    }
    return v.replace(/\/+$/, '');
  };
  const apiUrl = url('apiUrl');
  const fhirUrl = url('fhirUrl');
  const tokenUrl = url('tokenUrl');
  const bulkDataUrl = url('bulkDataUrl');
  const fhirVersion = r.fhirVersion ?? 'r4';
  if (!isFhirVersion(fhirVersion)) problems.push(l10n.t('"{0}".{1} must be one of {2}', name, 'fhirVersion', FHIR_VERSIONS.join(', ')));
  const keys = r.userManagementKeys ?? 'auto';
  if (!(USER_MANAGEMENT_KEYS as readonly unknown[]).includes(keys)) problems.push(l10n.t('"{0}".{1} must be one of {2}', name, 'userManagementKeys', USER_MANAGEMENT_KEYS.join(', ')));
  if (problems.length) return { problems };
  const env: Environment = { name, apiUrl, fhirUrl, tokenUrl, bulkDataUrl, fhirVersion: fhirVersion as FhirVersion };
  return { env: keys === 'auto' ? env : { ...env, userManagementKeys: keys as UserManagementKeys }, problems };
}
