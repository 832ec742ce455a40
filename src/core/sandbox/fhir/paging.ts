import type { BundleLink } from '../../fhir/types';
import { HttpError } from '../http/context';
import { decodeCursor, encodeCursor } from './cursor';
import { MAX_SKIP } from './params';

/** Where a page starts: the opaque `_cursor`, or `_skip` (up to 9990, as on 1upHealth). */
export function offsetFrom(params: URLSearchParams, searchKey: string): number {
  const cursor = params.get('_cursor');
  if (cursor !== null) {
    const offset = decodeCursor(cursor, searchKey);
    if (offset === undefined) throw new HttpError(400, 'the _cursor is not valid for this search: follow the Bundle links as given');
    return offset;
  }
  const skip = params.get('_skip');
  if (skip === null) return 0;
  const n = Number(skip);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `_skip must be a whole number, got "${skip}"`);
  if (n > MAX_SKIP) throw new HttpError(400, `_skip cannot go past ${MAX_SKIP}: follow the Bundle's next links instead`, {}, 'too-costly');
  return n;
}

/** self, first, previous and next links; each carries the search's parameters and a cursor. */
export function pageLinks(url: string, params: URLSearchParams, searchKey: string, offset: number, count: number, total: number): BundleLink[] {
  const at = (o: number) => {
    const p = new URLSearchParams([...params].filter(([k]) => k !== '_cursor' && k !== '_skip'));
    if (o > 0) p.set('_cursor', encodeCursor(o, searchKey));
    const q = p.toString();
    return q ? `${url}?${q}` : url;
  };
  const links: BundleLink[] = [{ relation: 'self', url: at(offset) }, { relation: 'first', url: at(0) }];
  if (offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, offset - Math.max(count, 1))) });
  if (count > 0 && offset + count < total) links.push({ relation: 'next', url: at(offset + count) });
  return links;
}
