// Where a page starts and how it links on. Production 1upHealth pages by `_afterid=<last id>`:
// a single page carries no `link` at all, more pages `self` (the path, no query) and `next`.
// `_skip` (documented by 1up, up to 9990) works in both modes; `--mode spec` links
// self/first/previous/next with an opaque cursor, as FHIR servers commonly do.
import type { BundleLink } from '../../fhir/types';
import { HttpError } from '../http/context';
import type { SandboxMode } from '../options';
import { decodeCursor, encodeCursor } from './cursor';
import { MAX_SKIP } from './params';

/** The parameters that say where a page starts, never carried from one page to the next. */
const PAGE_POSITION = new Set(['_cursor', '_skip', '_afterid']);

/**
 * Where a page starts: after `_afterid` (found by `after`, which answers the offset just past
 * that resource, or undefined when the search has no such resource), at an opaque `_cursor`, or
 * at `_skip`.
 */
export function offsetFrom(params: URLSearchParams, searchKey: string, after: (id: string) => number | undefined = () => undefined): number {
  const afterId = params.get('_afterid');
  if (afterId !== null) {
    const offset = afterId.trim() ? after(afterId.trim()) : undefined;
    if (offset === undefined) throw new HttpError(400, `_afterid ${afterId} is not a resource of this search: follow the Bundle's next link as given`);
    return offset;
  }
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

export interface Page {
  /** the search's URL without query, e.g. http://127.0.0.1:4000/fhir/r4/Observation */
  url: string;
  params: URLSearchParams;
  searchKey: string;
  offset: number;
  count: number;
  total: number;
  /** id of the page's last resource (production's next link starts after it) */
  lastId?: string;
}

/** The Bundle's links for a page in the given mode; undefined when the Bundle carries none. */
export function pageLinks(mode: SandboxMode, p: Page): BundleLink[] | undefined {
  return mode === 'spec' ? specLinks(p) : productionLinks(p);
}

function kept(params: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...params].filter(([k]) => !PAGE_POSITION.has(k)));
}

function productionLinks(p: Page): BundleLink[] | undefined {
  const more = p.count > 0 && p.offset + p.count < p.total && p.lastId !== undefined;
  if (p.offset === 0 && !more) return undefined;
  const links: BundleLink[] = [{ relation: 'self', url: p.url }];
  if (more) {
    const q = kept(p.params);
    q.append('_afterid', p.lastId!);
    links.push({ relation: 'next', url: `${p.url}?${q.toString()}` });
  }
  return links;
}

function specLinks(p: Page): BundleLink[] {
  const at = (o: number) => {
    const q = kept(p.params);
    if (o > 0) q.set('_cursor', encodeCursor(o, p.searchKey));
    const s = q.toString();
    return s ? `${p.url}?${s}` : p.url;
  };
  const links: BundleLink[] = [{ relation: 'self', url: at(p.offset) }, { relation: 'first', url: at(0) }];
  if (p.offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, p.offset - Math.max(p.count, 1))) });
  if (p.count > 0 && p.offset + p.count < p.total) links.push({ relation: 'next', url: at(p.offset + p.count) });
  return links;
}
