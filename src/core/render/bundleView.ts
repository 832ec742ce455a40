import type { Bundle, BundleEntry, Resource } from '../fhir/types';
import type { BundleView, GroupView, PageRelation } from '../webviewProtocol/bundleViewer';
import { cellsOf, columnsFor } from './columns';

export interface BundleViewOptions {
  viewId: string;
  title: string;
  /** which page links the host can follow */
  links?: Partial<Record<PageRelation, boolean>>;
  page?: number;
  pages?: number;
  notice?: string;
}

/**
 * A Bundle page as the viewer shows it: entries grouped by resource type (in order of first
 * appearance), each group with the columns that fit its type. Row keys are entry indexes.
 */
export function bundleView(bundle: Bundle, options: BundleViewOptions): BundleView {
  const groups = new Map<string, GroupView>();
  const entries = bundle.entry ?? [];
  entries.forEach((entry, key) => {
    const r = entry?.resource;
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') return;
    let g = groups.get(r.resourceType);
    if (!g) {
      const columns = columnsFor(r.resourceType);
      g = { type: r.resourceType, columns: columns.map((c) => ({ label: c.label, weight: c.weight })), rows: [] };
      groups.set(r.resourceType, g);
    }
    g.rows.push({ key, cells: cellsOf(r, columnsFor(r.resourceType)) });
  });
  const links = options.links ?? {};
  return {
    viewId: options.viewId,
    title: options.title,
    bundleType: typeof bundle.type === 'string' ? bundle.type : undefined,
    types: [...groups.keys()],
    total: typeof bundle.total === 'number' ? bundle.total : undefined,
    entries: entries.length,
    page: options.page,
    pages: options.pages,
    links: { first: !!links.first, previous: !!links.previous, next: !!links.next, last: !!links.last },
    groups: [...groups.values()],
    notice: options.notice,
  };
}

/** Local paging of a large Bundle (an NDJSON export, a big file): page `index` of `size` entries. */
export function pageOf(bundle: Bundle, index: number, size: number): Bundle {
  const entries = bundle.entry ?? [];
  if (entries.length <= size) return bundle;
  const page = Math.max(0, Math.min(index, Math.ceil(entries.length / size) - 1));
  return { ...bundle, entry: entries.slice(page * size, (page + 1) * size) };
}

export function pageCount(bundle: Bundle, size: number): number {
  return Math.max(1, Math.ceil((bundle.entry?.length ?? 0) / size));
}

/** The resources of a page, one JSON document per line. */
export function toNdjson(bundle: Bundle): string {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r).map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** A collection Bundle of resources (what NDJSON files become). */
export function collectionOf(resources: Resource[]): Bundle {
  const entry: BundleEntry[] = resources.map((resource) => ({ resource }));
  return { resourceType: 'Bundle', type: 'collection', total: resources.length, entry };
}
