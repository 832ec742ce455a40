// Paging links carry an opaque cursor: the offset, bound to the search it belongs to, so a cursor
// pasted onto another search is refused instead of answering a wrong page.
import { createHash } from 'node:crypto';

function fingerprint(searchKey: string): string {
  return createHash('sha256').update(searchKey).digest('base64url').slice(0, 12);
}

export function encodeCursor(offset: number, searchKey: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: fingerprint(searchKey) })).toString('base64url');
}

/** The offset in a cursor, or undefined when it is malformed or made for another search. */
export function decodeCursor(cursor: string, searchKey: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    if (typeof v.o !== 'number' || !Number.isInteger(v.o) || v.o < 0 || v.k !== fingerprint(searchKey)) return undefined;
    return v.o;
  } catch {
    return undefined;
  }
}
