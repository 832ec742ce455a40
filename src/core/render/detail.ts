import * as l10n from '@vscode/l10n';
import type { Resource } from '../fhir/types';
import type { DetailView } from '../webviewProtocol/common';
import { describeAttachment, findAttachments, FoundAttachment, isAttachment } from './attachments';
import { esc, titleAttr } from './escape';
import { labelOf } from './rules';
import { address, code, coding, dateTime, humanName, isObject, Json, period, quantity, str } from './format';

export interface DetailOptions {
  key?: number;
  canGoBack?: boolean;
  fromServer?: boolean;
  /** names the resource a reference points at when it is at hand (in the same Bundle) */
  describeReference?: (reference: string) => string | undefined;
}

/** What the host keeps besides the view: the reference strings behind `data-ref` indexes, the attachments by index. */
export interface RenderedDetail {
  view: DetailView;
  references: string[];
  attachments: FoundAttachment[];
}

const MAX_NODES = 20_000;
const MAX_DEPTH = 12;

class FieldWriter {
  readonly references: string[] = [];
  private nodes = 0;
  truncated = false;

  constructor(private readonly describe: (reference: string) => string | undefined = () => undefined) {}

  fields(o: Json, depth: number, skip: ReadonlySet<string> = new Set()): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(o)) {
      if (skip.has(key) || value === undefined || value === null) continue;
      if (++this.nodes > MAX_NODES) { this.truncated = true; break; }
      parts.push(`<dt>${esc(key)}</dt><dd>${this.value(key, value, depth + 1)}</dd>`);
    }
    return parts.length ? `<dl class="fields">${parts.join('')}</dl>` : `<span class="empty">${esc(l10n.t('(empty)'))}</span>`;
  }

  value(key: string, v: unknown, depth: number): string {
    if (depth > MAX_DEPTH) { this.truncated = true; return '<span class="empty">…</span>'; }
    if (Array.isArray(v)) {
      if (v.every((x) => !isObject(x) && !Array.isArray(x))) return esc(v.map(str).join(', '));
      if (v.length === 1) return this.value(key, v[0], depth + 1);
      const items = v.map((x) => `<li>${this.value(key, x, depth + 1)}</li>`);
      return `<ol class="items">${items.join('')}</ol>`;
    }
    if (!isObject(v)) return this.primitive(key, v);
    const inline = this.datatype(key, v);
    if (inline !== undefined) return inline;
    if (key === 'contained' && typeof v.resourceType === 'string') {
      return `<div class="contained"><div class="contained-head">${esc(v.resourceType)}${v.id ? ` #${esc(str(v.id))}` : ''}</div>${this.fields(v, depth, new Set(['resourceType', 'text']))}</div>`;
    }
    if (key === 'extension' || key === 'modifierExtension') {
      const url = str(v.url);
      const rest = Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'url'));
      return `<span class="ext"${titleAttr(url)}>${esc(url.split('/').pop() ?? url)}</span>${this.fields(rest, depth)}`;
    }
    return this.fields(v, depth);
  }

  private primitive(key: string, v: unknown): string {
    const s = str(v);
    if (/(date|time|instant|issued|authored|lastUpdated|birth)/i.test(key) || /^\d{4}-\d{2}-\d{2}T/.test(s)) {
      const d = dateTime(s);
      return `<span${titleAttr(d.h)}>${esc(d.t)}</span>`;
    }
    return typeof v === 'string' ? esc(s) : `<span class="literal">${esc(s)}</span>`;
  }

  /** Known datatypes on one line (with codes and systems on hover), or undefined. */
  private datatype(key: string, v: Json): string | undefined {
    const keys = Object.keys(v).filter((k) => k !== 'extension' && k !== 'id');
    const only = (...allowed: string[]) => keys.length > 0 && keys.every((k) => allowed.includes(k));
    if (typeof v.reference === 'string' && only('reference', 'display', 'type', 'identifier')) {
      const index = this.references.push(v.reference) - 1;
      const label = str(v.display) || this.describe(v.reference) || v.reference;
      return `<a href="#" class="ref" data-ref="${index}" title="${esc(v.reference)}">${esc(label)}</a>`;
    }
    if (isAttachment(v)) {
      // one line (never the base64 data): the attachment is opened from the pane's Attachments list
      const a = describeAttachment({ path: key, attachment: v });
      return this.cell({ t: `${a.title} (${a.details})`, h: str(v.url) || undefined });
    }
    if (only('coding', 'text')) return this.cell(code(v));
    if (only('system', 'code', 'display', 'version', 'userSelected') && (v.code !== undefined || v.display !== undefined)) return this.cell(coding(v));
    if (only('value', 'unit', 'system', 'code', 'comparator', 'currency') && v.value !== undefined) return this.cell(quantity(v));
    if (only('start', 'end')) return this.cell(period(v));
    if (key === 'name' && only('use', 'text', 'family', 'given', 'prefix', 'suffix', 'period')) return this.cell(humanName(v));
    if (key === 'address' && only('use', 'type', 'text', 'line', 'city', 'district', 'state', 'postalCode', 'country', 'period')) return this.cell(address(v));
    return undefined;
  }

  private cell(c: { t: string; h?: string }): string {
    return `<span${titleAttr(c.h)}>${esc(c.t)}</span>`;
  }
}

/** `Type · what it is about` of a resource (by the rule table, never its narrative): detail titles, reference names. */
export function describeResource(r: Resource): string {
  const about = labelOf(r).t;
  return about ? `${r.resourceType} · ${about}` : r.resourceType;
}

/** The detail pane of one resource: fields as escaped HTML, the raw narrative and JSON. */
export function detailView(resource: Resource, options: DetailOptions = {}): RenderedDetail {
  const w = new FieldWriter(options.describeReference);
  const r = resource as Json;
  const fieldsHtml = w.fields(r, 0, new Set(['resourceType', 'text']))
    + (w.truncated ? `<p class="notice">${esc(l10n.t('This resource is too large to show every field here: see the raw JSON.'))}</p>` : '');
  const text = isObject(r.text) ? str(r.text.div) : '';
  const lastUpdated = isObject(r.meta) ? dateTime(r.meta.lastUpdated).t : '';
  const subtitle = [resource.id ? l10n.t('id {0}', String(resource.id)) : '', lastUpdated ? l10n.t('updated {0}', lastUpdated) : ''].filter(Boolean).join(' · ');
  const title = describeResource(resource);
  const attachments = findAttachments(r);
  return {
    references: w.references,
    attachments,
    view: {
      key: options.key,
      resourceType: resource.resourceType,
      id: typeof resource.id === 'string' ? resource.id : undefined,
      title,
      subtitle: subtitle || undefined,
      narrative: text || undefined,
      fieldsHtml,
      json: JSON.stringify(resource, null, 2),
      canGoBack: !!options.canGoBack,
      fromServer: !!options.fromServer,
      isPatient: resource.resourceType === 'Patient' && typeof resource.id === 'string',
      attachments: attachments.length ? attachments.map((f, index) => ({ index, ...describeAttachment(f) })) : undefined,
    },
  };
}
