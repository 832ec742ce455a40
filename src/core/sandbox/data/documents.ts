// The attachments of notes and reports, as EHRs send them inline: an HTML rendering and, for
// some, a PDF (made with jsPDF), base64 in Attachment.data with size, SHA-1 hash and title.
// Synthetic content only; the same inputs always give the same bytes.
import { createHash } from 'node:crypto';
import { jsPDF } from 'jspdf';
import { escapeHtml } from '../http/escape';
import { Lru } from './lru';

export interface DocSection { heading?: string; rows?: [string, string][]; lines?: string[] }

export function attachment(contentType: string, bytes: Buffer, title: string, creation: string): Record<string, unknown> {
  return {
    contentType,
    language: 'en-US',
    data: bytes.toString('base64'),
    size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'),
    title,
    creation,
  };
}

/** A small, self-contained HTML document (no scripts, no external references). */
export function htmlDocument(title: string, subtitle: string, sections: DocSection[]): Buffer {
  const body = sections.map((s) => [
    s.heading ? `<h2>${escapeHtml(s.heading)}</h2>` : '',
    s.rows?.length ? `<table>${s.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` : '',
    ...(s.lines ?? []).map((l) => `<p>${escapeHtml(l)}</p>`),
  ].join('')).join('');
  return Buffer.from('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    + `<title>${escapeHtml(title)}</title><style>body{font-family:sans-serif;margin:1.5em}th{text-align:left;padding-right:1em}</style></head>`
    + `<body><h1>${escapeHtml(title)}</h1><p><em>${escapeHtml(subtitle)}</em></p>${body}</body></html>`);
}

// A report rebuilt for another search or export gets the bytes it had: a PDF is a pure function
// of its content, and rendering one costs a millisecond where the rest of the report costs microseconds
const pdfs = new Lru<string, Buffer>(4096);

/** The same content as a one-page PDF (Helvetica, no embedded fonts; fixed dates, so stable bytes). */
export function pdfDocument(title: string, subtitle: string, sections: DocSection[], created: Date): Buffer {
  const key = JSON.stringify([title, subtitle, sections, created.getTime()]);
  return pdfs.get(key) ?? pdfs.set(key, renderPdf(title, subtitle, sections, created));
}

interface Run { size: number; style: 'normal' | 'bold'; lines: string[]; gap: number }

const LEFT = 56;
const WIDTH = 500;
const BOTTOM = 740;
// Helvetica's widest glyphs are about 1 em: a line this short at this size cannot need wrapping
const fits = (text: string, size: number) => text.length * size * 1.05 <= WIDTH;

function renderPdf(title: string, subtitle: string, sections: DocSection[], created: Date): Buffer {
  // consecutive lines in one font are one text() call: jsPDF's fixed cost per call (its text
  // pre-processing hooks) is most of the price of a page this small
  const runs: Run[] = [];
  let gap = 0;
  const add = (text: string, size: number, style: Run['style'] = 'normal') => {
    const last = runs.at(-1);
    if (last && !gap && last.size === size && last.style === style) last.lines.push(text);
    else runs.push({ size, style, lines: [text], gap });
    gap = 0;
  };
  add(title, 16, 'bold');
  add(subtitle, 10);
  gap = 8;
  for (const s of sections) {
    if (s.heading) add(s.heading, 12, 'bold');
    for (const [k, v] of s.rows ?? []) add(`${k}: ${v}`, 10);
    for (const l of s.lines ?? []) add(l, 10);
    gap += 6;
  }
  const doc = new jsPDF({ unit: 'pt', format: 'letter', compress: true, putOnlyUsedFonts: true });
  doc.setCreationDate(created);
  doc.setFileId(createHash('md5').update(`${title}|${subtitle}|${created.toISOString()}`).digest('hex').toUpperCase());
  doc.setProperties({ title, creator: '1upHealth local sandbox (synthetic data)' });
  let y = 60;
  for (const run of runs) {
    y += run.gap;
    const step = run.size + 5;
    if (y > BOTTOM) break;
    doc.setFont('helvetica', run.style);
    doc.setFontSize(run.size);
    const parts = run.lines.flatMap((l) => (fits(l, run.size) ? [l] : doc.splitTextToSize(l, WIDTH) as string[]));
    const shown = parts.slice(0, Math.floor((BOTTOM - y) / step) + 1);
    doc.text(shown, LEFT, y, { lineHeightFactor: step / run.size });
    y += shown.length * step;
  }
  return Buffer.from(doc.output('arraybuffer'));
}
