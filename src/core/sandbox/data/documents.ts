// The attachments of notes and reports, as EHRs send them inline: an HTML rendering and, for
// some, a PDF (made with jsPDF), base64 in Attachment.data with size, SHA-1 hash and title.
// Synthetic content only; the same inputs always give the same bytes.
import { createHash } from 'node:crypto';
import { jsPDF } from 'jspdf';
import { escapeHtml } from '../http/escape';

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

/** The same content as a one-page PDF (Helvetica, no embedded fonts; fixed dates, so stable bytes). */
export function pdfDocument(title: string, subtitle: string, sections: DocSection[], created: Date): Buffer {
  const doc = new jsPDF({ unit: 'pt', format: 'letter', compress: true, putOnlyUsedFonts: true });
  doc.setCreationDate(created);
  doc.setFileId(createHash('md5').update(`${title}|${subtitle}|${created.toISOString()}`).digest('hex').toUpperCase());
  doc.setProperties({ title, creator: '1upHealth local sandbox (synthetic data)' });
  let y = 60;
  const line = (text: string, size: number, style: 'normal' | 'bold' = 'normal') => {
    if (y > 740) return;
    doc.setFont('helvetica', style);
    doc.setFontSize(size);
    for (const part of doc.splitTextToSize(text, 500) as string[]) {
      doc.text(part, 56, y);
      y += size + 5;
    }
  };
  line(title, 16, 'bold');
  line(subtitle, 10);
  y += 8;
  for (const s of sections) {
    if (s.heading) line(s.heading, 12, 'bold');
    for (const [k, v] of s.rows ?? []) line(`${k}: ${v}`, 10);
    for (const l of s.lines ?? []) line(l, 10);
    y += 6;
  }
  return Buffer.from(doc.output('arraybuffer'));
}
