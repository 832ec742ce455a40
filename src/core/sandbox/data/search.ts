// Searches as an index over segments (one per visible patient, then the patient-less
// resources): per-segment counts when nothing filters (generated patients are counted, not
// built), the list of hits when something does. Indexes are cached per scope and search until
// the data changes, so paging to page 500 does not rescan.
import type { FhirVersion } from '../../environments';
import type { Resource } from '../../fhir/types';
import type { ParsedSearch } from '../fhir/params';
import type { Compartment } from './dataset';
import { patientOfRecordId } from './ids';
import { Lru } from './lru';
import type { DataView, Entry, Scope } from './view';

type Segment = Compartment | 'loose';

interface Index {
  segments: Segment[];
  /** unfiltered: prefix[i] = resources in segments before i */
  prefix?: number[];
  /** filtered: hits as (segment, position in that segment's entries) */
  hitSeg?: Int32Array;
  hitPos?: Int32Array;
  total: number;
  /** id of a page's last resource → where the next page starts (production's `_afterid`) */
  after: Map<string, number>;
}

export interface SearchResult { total: number; resources: Resource[] }

export class SearchEngine {
  // filtered indexes over 10,000 patients can hold a million hits: keep few
  private readonly cache = new Lru<string, Index>(16);

  constructor(private readonly view: DataView) {}

  run(scope: Scope, version: FhirVersion, type: string, search: ParsedSearch, offset: number, count: number): SearchResult {
    const index = this.indexFor(scope, version, type, search);
    if (count === 0 || offset >= index.total) return { total: index.total, resources: [] };
    const page = index.prefix ? this.pageByCounts(index, scope, version, type, offset, count) : this.pageByHits(index, scope, version, type, offset, count);
    const last = page.at(-1)?.id;
    if (last !== undefined && index.after.size < 10_000) index.after.set(last, offset + page.length);
    return { total: index.total, resources: page };
  }

  /**
   * The offset just past resource `id` in this search's order (undefined: not in it). Known at
   * once for ids that ended a served page; otherwise found in the segment of the id's patient.
   */
  offsetAfter(scope: Scope, version: FhirVersion, type: string, search: ParsedSearch, id: string): number | undefined {
    const index = this.indexFor(scope, version, type, search);
    const known = index.after.get(id);
    if (known !== undefined) return known;
    const owner = patientOfRecordId(id) ?? id;
    for (let s = 0; s < index.segments.length; s++) {
      const seg = index.segments[s];
      if (seg !== 'loose' && seg.id !== owner) continue;
      const pos = this.entries(seg, scope, version, type).findIndex((e) => e.resource.id === id);
      if (pos < 0) continue;
      if (index.prefix) return index.prefix[s] + pos + 1;
      // the first hit after (s, pos): the resource itself need not match the search
      let lo = 0;
      let hi = index.total;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const hs = index.hitSeg![mid];
        if (hs < s || (hs === s && index.hitPos![mid] <= pos)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    return undefined;
  }

  private indexFor(scope: Scope, version: FhirVersion, type: string, search: ParsedSearch): Index {
    const patients = search.patients ? [...search.patients].sort().join(',') : '*';
    const key = `${scope.key}|${version}|${type}|${search.key}|${patients}|${this.view.generation}`;
    return this.cache.getOr(key, () => this.index(scope, version, type, search));
  }

  private segments(scope: Scope, search: ParsedSearch): Segment[] {
    const comps = this.view.compartments(scope);
    if (search.patients) return comps.filter((c) => search.patients!.has(c.id));
    return [...comps, 'loose'];
  }

  private entries(seg: Segment, scope: Scope, version: FhirVersion, type: string): Entry[] {
    return seg === 'loose' ? this.view.looseEntries(scope, version, type) : this.view.entries(seg, version, type);
  }

  private index(scope: Scope, version: FhirVersion, type: string, search: ParsedSearch): Index {
    const segments = this.segments(scope, search);
    if (!search.filter) {
      const prefix = [0];
      for (const seg of segments) {
        const n = seg === 'loose' ? this.view.looseEntries(scope, version, type).length : this.view.count(seg, version, type);
        prefix.push(prefix[prefix.length - 1] + n);
      }
      return { segments, prefix, total: prefix[prefix.length - 1], after: new Map() };
    }
    const segs: number[] = [];
    const pos: number[] = [];
    segments.forEach((seg, s) => {
      this.entries(seg, scope, version, type).forEach((e, i) => {
        if (search.filter!(e)) { segs.push(s); pos.push(i); }
      });
    });
    return { segments, hitSeg: Int32Array.from(segs), hitPos: Int32Array.from(pos), total: segs.length, after: new Map() };
  }

  private pageByCounts(index: Index, scope: Scope, version: FhirVersion, type: string, offset: number, count: number): Resource[] {
    const prefix = index.prefix!;
    // the last segment starting at or before offset
    let lo = 0;
    let hi = index.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (prefix[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const out: Resource[] = [];
    for (let s = lo; s < index.segments.length && out.length < count; s++) {
      if (prefix[s + 1] === prefix[s]) continue;
      const list = this.entries(index.segments[s], scope, version, type);
      const from = Math.max(0, offset - prefix[s]);
      for (let i = from; i < list.length && out.length < count; i++) out.push(list[i].resource);
    }
    return out;
  }

  private pageByHits(index: Index, scope: Scope, version: FhirVersion, type: string, offset: number, count: number): Resource[] {
    const out: Resource[] = [];
    let cached: { s: number; list: Entry[] } | undefined;
    for (let h = offset; h < Math.min(index.total, offset + count); h++) {
      const s = index.hitSeg![h];
      if (!cached || cached.s !== s) cached = { s, list: this.entries(index.segments[s], scope, version, type) };
      const e = cached.list[index.hitPos![h]];
      if (e) out.push(e.resource);
    }
    return out;
  }
}
