import { FHIR_VERSIONS, type FhirVersion, isFhirVersion } from '../environments';
import { InputError } from '../errors';

/**
 * Reads a tool's input defensively: VS Code checks it against the declared schema when a model
 * calls, but another extension's `invokeTool` or a model's near-miss must still end in a clear
 * message, not a crash. Unknown keys are ignored.
 */
export class Input {
  private readonly o: Record<string, unknown>;

  constructor(input: unknown) {
    this.o = input && typeof input === 'object' && !Array.isArray(input) ? input as Record<string, unknown> : {};
  }

  has(key: string): boolean {
    return this.o[key] !== undefined && this.o[key] !== null && this.o[key] !== '';
  }

  string(key: string, o: { required?: boolean; max?: number; pattern?: RegExp; what?: string } = {}): string | undefined {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') {
      if (o.required) throw new InputError(`"${key}" is required${o.what ? ` (${o.what})` : ''}.`);
      return undefined;
    }
    const s = typeof v === 'number' ? String(v) : v;
    if (typeof s !== 'string') throw new InputError(`"${key}" must be a string.`);
    const t = s.trim();
    if (o.max && t.length > o.max) throw new InputError(`"${key}" is longer than ${o.max} characters.`);
    if (o.pattern && !o.pattern.test(t)) throw new InputError(`"${key}" is not valid${o.what ? `: expected ${o.what}` : ''}.`);
    return t;
  }

  integer(key: string, o: { min: number; max: number; default: number }): number {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') return o.default;
    const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new InputError(`"${key}" must be a whole number from ${o.min} to ${o.max}.`);
    if (n < o.min || n > o.max) throw new InputError(`"${key}" must be from ${o.min} to ${o.max} (got ${n}).`);
    return n;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new InputError(`"${key}" must be true or false.`);
  }

  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new InputError(`"${key}" must be one of ${values.map((x) => `"${x}"`).join(', ')}.`);
    return v as T;
  }

  version(fallback: FhirVersion): FhirVersion {
    const v = this.o.version;
    if (v === undefined || v === null || v === '') return fallback;
    const lower = typeof v === 'string' ? v.toLowerCase() : v;
    if (!isFhirVersion(lower)) throw new InputError(`"version" must be one of ${FHIR_VERSIONS.join(', ')}.`);
    return lower;
  }

  stringList(key: string, o: { max: number }): string[] | undefined {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') return undefined;
    const list = typeof v === 'string' ? v.split(',') : v;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) throw new InputError(`"${key}" must be a list of strings.`);
    const out = (list as string[]).map((x) => x.trim()).filter(Boolean);
    if (out.length > o.max) throw new InputError(`"${key}" has more than ${o.max} items.`);
    return out;
  }

  /** Search parameters as name/value pairs: an object (values: string, number, boolean or a list of them, for repeats) or `a=1&b=2`. */
  params(key: string): [string, string][] {
    const v = this.o[key];
    if (v === undefined || v === null || v === '') return [];
    const out: [string, string][] = [];
    if (typeof v === 'string') {
      for (const part of v.replace(/^\?/, '').split('&')) {
        if (!part.trim()) continue;
        const eq = part.indexOf('=');
        if (eq <= 0) throw new InputError(`"${part}" in "${key}" is not a name=value search parameter.`);
        out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
      }
      return out;
    }
    if (typeof v !== 'object' || Array.isArray(v)) throw new InputError(`"${key}" must be an object of search parameters, e.g. {"gender":"female","birthdate":"ge1970"}.`);
    for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      for (const x of values) {
        if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw new InputError(`The search parameter "${name}" must be a string (or a list of strings to repeat it).`);
        out.push([name, String(x)]);
      }
    }
    return out;
  }
}

/** FHIR ids: letters, digits, `-` and `.`, at most 64. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** app_user_id as the Create User command accepts it. */
export const APP_USER_ID = /^[\w.@+\-:]{1,128}$/;
