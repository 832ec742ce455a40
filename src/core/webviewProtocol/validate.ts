/**
 * Checks a message that crossed the webview boundary against a table of the message types one
 * side accepts. Both sides use it: nothing that arrives is trusted, unknown types and unexpected
 * fields are refused rather than ignored.
 */
export type Check = (value: unknown) => boolean;

/** For each accepted `type`, the checks of its other fields (all required unless `optional`). */
export type MessageSpec = Readonly<Record<string, Readonly<Record<string, Check>>>>;

const OPTIONAL = Symbol('optional');
type OptionalCheck = Check & { [OPTIONAL]?: true };

export const is = {
  string: (max = 10_000): Check => (v) => typeof v === 'string' && v.length <= max,
  int: (min = 0, max = Number.MAX_SAFE_INTEGER): Check => (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
  boolean: (): Check => (v) => typeof v === 'boolean',
  oneOf: (...values: readonly string[]): Check => (v) => typeof v === 'string' && values.includes(v),
  object: (): Check => (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (item?: Check, max = 1_000_000): Check => (v) => Array.isArray(v) && v.length <= max && (!item || v.every(item)),
  optional: (check: Check): Check => Object.assign((v: unknown) => v === undefined || check(v), { [OPTIONAL]: true as const }),
  /** An object whose fields pass the given checks (extra fields allowed: views grow). */
  shape: (fields: Readonly<Record<string, Check>>): Check => (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    return Object.entries(fields).every(([k, check]) => check(o[k]));
  },
};

/** The message if it is one of `spec`'s types with exactly the fields the spec names; otherwise undefined. */
export function parseMessage<M extends { type: string }>(spec: MessageSpec, raw: unknown): M | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const msg = raw as Record<string, unknown>;
  const type = msg.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(spec, type)) return undefined;
  const fields = spec[type];
  for (const key of Object.keys(msg)) {
    if (key !== 'type' && !Object.prototype.hasOwnProperty.call(fields, key)) return undefined;
  }
  for (const [key, check] of Object.entries(fields)) {
    const present = Object.prototype.hasOwnProperty.call(msg, key);
    if (!present && !(check as OptionalCheck)[OPTIONAL]) return undefined;
    if (present && !check(msg[key])) return undefined;
  }
  return msg as M;
}
