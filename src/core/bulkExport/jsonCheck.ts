// A strict JSON syntax check over raw bytes that allocates nothing. It accepts exactly what
// JSON.parse(buffer.toString('utf8')) accepts (the tests compare the two on mutated inputs),
// except nesting deeper than 1000 levels, which no FHIR resource comes near, and
// finds the top-level "resourceType" value on the way. JSON.parse builds every object and string
// of a resource only for us to throw them away; measured here it verifies NDJSON at ~160 MB/s,
// this at ~400 MB/s, which is what lets verification keep pace with a download.
//
// Callers pass [start, end) where b[end] is a newline or past the buffer: the scanners may peek
// at b[end] and must find nothing there that continues a token.

const MAX_DEPTH = 1000;
// `"resourceType"` with its quotes
const RESOURCE_TYPE_KEY = Buffer.from('"resourceType"');

/** Where the last check found the top-level resourceType string (quotes included); -1 when absent. */
export interface TypeSpan { typeStart: number; typeEnd: number }

const span: TypeSpan = { typeStart: -1, typeEnd: -1 };

/**
 * Checks that b[start, end) is one JSON object (surrounding whitespace allowed). Answers the
 * span of its top-level "resourceType" value (the last one, as JSON.parse keeps the last of
 * duplicate keys; -1 when there is none or it is not a string), or undefined when the bytes are
 * not valid JSON or not an object. The answer is reused by the next call.
 */
export function checkJsonObject(b: Uint8Array, start: number, end: number): TypeSpan | undefined {
  span.typeStart = -1;
  span.typeEnd = -1;
  let i = skipWs(b, start, end);
  if (i >= end || b[i] !== 0x7b) return undefined;
  i = object(b, i, end, 1);
  if (i < 0) return undefined;
  return skipWs(b, i, end) === end ? span : undefined;
}

/** True when b[start, end) is a single valid JSON value of any kind. */
export function isJsonValue(b: Uint8Array, start: number, end: number): boolean {
  const i = value(b, skipWs(b, start, end), end, 0);
  return i >= 0 && skipWs(b, i, end) === end;
}

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function value(b: Uint8Array, i: number, end: number, depth: number): number {
  if (i >= end) return -1;
  switch (b[i]) {
    case 0x22: return string(b, i, end);
    case 0x7b: return object(b, i, end, depth + 1);
    case 0x5b: return array(b, i, end, depth + 1);
    case 0x74: return word(b, i, end, 0x74, 0x72, 0x75, 0x65, -1); // true
    case 0x66: return word(b, i, end, 0x66, 0x61, 0x6c, 0x73, 0x65); // false
    case 0x6e: return word(b, i, end, 0x6e, 0x75, 0x6c, 0x6c, -1); // null
    default: return number(b, i, end);
  }
}

function string(b: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = b[i];
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = b[i + 1];
      if (e === 0x75) {
        if (!hex(b[i + 2]) || !hex(b[i + 3]) || !hex(b[i + 4]) || !hex(b[i + 5])) return -1;
        i += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else {
        return -1;
      }
    } else if (c < 0x20) {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

function hex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function digit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function number(b: Uint8Array, i: number, end: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) {
    i++;
  } else if (b[i] >= 0x31 && b[i] <= 0x39) {
    i++;
    while (i < end && digit(b[i])) i++;
  } else {
    return -1;
  }
  if (i < end && b[i] === 0x2e) {
    i++;
    if (i >= end || !digit(b[i])) return -1;
    while (i < end && digit(b[i])) i++;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if (i >= end || !digit(b[i])) return -1;
    while (i < end && digit(b[i])) i++;
  }
  return i;
}

function word(b: Uint8Array, i: number, end: number, c0: number, c1: number, c2: number, c3: number, c4: number): number {
  const n = c4 < 0 ? 4 : 5;
  if (i + n > end) return -1;
  if (b[i] !== c0 || b[i + 1] !== c1 || b[i + 2] !== c2 || b[i + 3] !== c3) return -1;
  if (n === 5 && b[i + 4] !== c4) return -1;
  return i + n;
}

function isResourceTypeKey(b: Uint8Array, from: number, to: number): boolean {
  if (to - from !== RESOURCE_TYPE_KEY.length) return false;
  for (let k = 0; k < RESOURCE_TYPE_KEY.length; k++) if (b[from + k] !== RESOURCE_TYPE_KEY[k]) return false;
  return true;
}

function object(b: Uint8Array, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  i = skipWs(b, i + 1, end);
  if (i < end && b[i] === 0x7d) return i + 1;
  for (;;) {
    if (i >= end || b[i] !== 0x22) return -1;
    const keyStart = i;
    i = string(b, i, end);
    if (i < 0) return -1;
    const keyEnd = i;
    i = skipWs(b, i, end);
    if (i >= end || b[i] !== 0x3a) return -1;
    i = skipWs(b, i + 1, end);
    const valueStart = i;
    i = value(b, i, end, depth);
    if (i < 0) return -1;
    if (depth === 1 && isResourceTypeKey(b, keyStart, keyEnd)) {
      const isString = b[valueStart] === 0x22;
      span.typeStart = isString ? valueStart : -1;
      span.typeEnd = isString ? i : -1;
    }
    i = skipWs(b, i, end);
    if (i >= end) return -1;
    if (b[i] === 0x2c) {
      i = skipWs(b, i + 1, end);
      continue;
    }
    return b[i] === 0x7d ? i + 1 : -1;
  }
}

function array(b: Uint8Array, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  i = skipWs(b, i + 1, end);
  if (i < end && b[i] === 0x5d) return i + 1;
  for (;;) {
    i = value(b, i, end, depth);
    if (i < 0) return -1;
    i = skipWs(b, i, end);
    if (i >= end) return -1;
    if (b[i] === 0x2c) {
      i = skipWs(b, i + 1, end);
      continue;
    }
    return b[i] === 0x5d ? i + 1 : -1;
  }
}
