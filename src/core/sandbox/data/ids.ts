// Ids as production 1upHealth writes them: 12 hex digits (`106df2011222`) for patients and for
// records in no patient's compartment, 48 for a patient's records. A patient's record id starts
// with the patient's id, so the sandbox finds the patient a record belongs to without an index.
// Everything here is a pure function of its inputs: the same seed always yields the same ids.
import { createHash, randomBytes } from 'node:crypto';
import { hash32 } from './rng';

const HEX12 = /^[0-9a-f]{12}$/;
const HEX48 = /^[0-9a-f]{48}$/;
const MASK24 = 0xffffff;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/**
 * A keyed permutation of the 48-bit numbers (a 4-round Feistel network over 24-bit halves), so
 * generated patient n gets an id that looks random and the id gives n back.
 */
class Permutation48 {
  private readonly keys: number[];

  constructor(seed: number) {
    this.keys = [0, 1, 2, 3].map((r) => hash32('patient-ids', seed, r));
  }

  private round(half: number, r: number): number {
    return fmix32(half ^ this.keys[r]) & MASK24;
  }

  forward(n: number): number {
    let l = Math.floor(n / 0x1000000) & MASK24;
    let r = n & MASK24;
    for (let i = 0; i < 4; i++) [l, r] = [r, l ^ this.round(r, i)];
    return l * 0x1000000 + r;
  }

  backward(x: number): number {
    let l = Math.floor(x / 0x1000000) & MASK24;
    let r = x & MASK24;
    for (let i = 3; i >= 0; i--) [l, r] = [r ^ this.round(l, i), l];
    return l * 0x1000000 + r;
  }
}

export class Ids {
  private readonly perm: Permutation48;

  constructor(readonly seed: number) {
    this.perm = new Permutation48(seed);
  }

  /** The Patient id of generated patient n. */
  generatedPatient(n: number): string {
    return hex(this.perm.forward(n), 12);
  }

  /** Which generated patient an id names (undefined: not a 12-hex id). */
  generatedIndex(id: string): number | undefined {
    return HEX12.test(id) ? this.perm.backward(parseInt(id, 16)) : undefined;
  }
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX_BYTE[n >>> 24] + HEX_BYTE[(n >>> 16) & 0xff] + HEX_BYTE[(n >>> 8) & 0xff] + HEX_BYTE[n & 0xff];
}

/** What the ids of one patient's records of one (source, type) share; see `patientRecordIdAt`. */
export function recordIdBase(patientId: string, source: number, type: string): number {
  return hash32(patientId, source, type);
}

/** `patientRecordId` with the (patient, source, type) part computed once (an export makes millions). */
export function patientRecordIdAt(patientId: string, base: number, n: number): string {
  const spread = Math.imul(n + 1, 0x9e3779b1);
  let out = patientId;
  for (let i = 0; i < 5; i++) out += hex8(fmix32(base ^ spread ^ Math.imul(i + 1, 0x27d4eb2f)));
  return out.slice(0, 48);
}

/**
 * The id of a patient's record: the patient's 12 hex digits and 36 more that differ for every
 * (source, type, position) — source 0 is the patient's own record, else the connected system's id.
 */
export function patientRecordId(patientId: string, source: number, type: string, n: number): string {
  return patientRecordIdAt(patientId, recordIdBase(patientId, source, type), n);
}

/** A stable 12-hex id for something known by another id (the Synthea demo records). */
export function hex12Of(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** A stable 48-hex id for a demo patient's record. */
export function patientRecordIdOf(patientId: string, key: string): string {
  return patientId + createHash('sha256').update(key).digest('hex').slice(0, 36);
}

/** A new id for a resource created through the API (a patient's record when `patientId` is known). */
export function newId(patientId?: string): string {
  return patientId && HEX12.test(patientId) ? patientId + randomBytes(18).toString('hex') : randomBytes(6).toString('hex');
}

/** The patient a 48-hex record id belongs to (undefined for other ids). */
export function patientOfRecordId(id: string): string | undefined {
  return HEX48.test(id) ? id.slice(0, 12) : undefined;
}

/** meta.versionId as production writes it: a 13-digit number string ("9000000000002"). */
export function versionIdOf(id: string): string {
  return String(9_000_000_000_000 + 1 + (hash32('version', id) % 3));
}

export const FIRST_VERSION_ID = '9000000000001';
