import type { ExportSummary } from '../bulkExport/types';
import { Answer } from './budget';
import { ToolNames } from './catalog';

/** One export as the status tool reports it: started by a tool in this window, or found on disk. */
export interface ExportView {
  /** The export folder's name (its timestamp), which the status tool takes as `exportId`. */
  id: string;
  folder: string;
  environment: string;
  state: 'starting' | 'running' | 'complete' | 'problems' | 'failed' | 'cancelled' | 'interrupted';
  /** While running: the phase and what the engine last said. */
  progress?: { phase: string; filesDone: number; filesTotal: number; bytes: number; message?: string };
  summary?: ExportSummary;
  /** Why it failed (masked by the caller). */
  error?: string;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 0)} MB`;

/** One line per export, newest first. */
export function exportLine(e: ExportView): string {
  const parts = [`${e.id}`, e.environment.replace(/_/g, ' '), e.state];
  if (e.progress && (e.state === 'running' || e.state === 'starting')) {
    parts.push(`${e.progress.phase}${e.progress.filesTotal ? `, ${e.progress.filesDone}/${e.progress.filesTotal} files` : ''}${e.progress.bytes ? `, ${mb(e.progress.bytes)}` : ''}${e.progress.message ? ` (${e.progress.message})` : ''}`);
  }
  const s = e.summary;
  if (s) parts.push(`${s.resources.toLocaleString('en-US')} resources in ${s.files.length} files, ${mb(s.bytes)}`);
  if (s?.errors.length) parts.push(`${s.errors.length} problem${s.errors.length > 1 ? 's' : ''}`);
  if (e.error) parts.push(e.error);
  return `- ${parts.join(' · ')}`;
}

/** The details of one export: scope, counts per type, problems, files, where it is. */
export function exportDetail(e: ExportView, maxChars: number): string {
  const out = new Answer(maxChars);
  out.tail(`Bulk export ${e.id} from “${e.environment.replace(/_/g, ' ')}”: ${e.state}.`);
  out.tail(`Folder: ${e.folder}`);
  if (e.progress && (e.state === 'running' || e.state === 'starting')) {
    out.tail(`Progress: ${e.progress.phase}${e.progress.filesTotal ? `, ${e.progress.filesDone} of ${e.progress.filesTotal} files` : ''}, ${mb(e.progress.bytes)} so far${e.progress.message ? ` (${e.progress.message})` : ''}. Ask again in a few seconds.`);
  }
  if (e.error) out.tail(`Failed: ${e.error}`);
  const s = e.summary;
  if (s) {
    const scope = s.scope.kind === 'app' ? 'all users of the app' : `user ${s.scope.oneupUserId}`;
    out.tail(`Scope: ${scope}, FHIR ${s.fhirVersion.toUpperCase()}${s.types?.length ? `, types ${s.types.join(',')}` : ', every type'}${s.since ? `, changed since ${s.since}` : ''}; took ${(s.durationMs / 1000).toFixed(1)} s.`);
    out.tail(`Total: ${s.resources.toLocaleString('en-US')} resources in ${s.files.length} files, ${mb(s.bytes)}${s.complete ? ', every file downloaded and verified' : ', not complete'}.`);
    const types = Object.entries(s.byType).sort((a, b) => b[1].resources - a[1].resources);
    if (types.length) out.add(`Per type: ${types.map(([t, c]) => `${t} ${c.resources.toLocaleString('en-US')}`).join(', ')}.`);
    for (const p of s.errors.slice(0, 5)) out.add(`Problem: ${p.file ? `${p.file}: ` : ''}${p.message}`);
    if (s.errors.length > 5) out.add(`(${s.errors.length - 5} more problems in summary.json)`);
    const files = s.files.slice(0, 20).map((f) => `${f.name} (${f.resources})`);
    if (files.length) out.add(`Files: ${files.join(', ')}${s.files.length > 20 ? `, and ${s.files.length - 20} more` : ''}.`);
  }
  if (e.state === 'interrupted') out.tail('It did not finish: the user can continue it with “1upHealth: Resume Bulk Export” (Exports view).');
  out.tail('The exported data stays in those files; it is not sent to the model. The user opens them from the Exports view.');
  return out.toString();
}

/** The exports list: running ones first, then the newest on disk; `limit` of them. */
export function exportsAnswer(exports: readonly ExportView[], limit: number, maxChars: number): string {
  const out = new Answer(maxChars);
  if (!exports.length) {
    out.tail(`No bulk exports in this workspace yet. Start one with ${ToolNames.startExport}.`);
    return out.toString();
  }
  const shown = exports.slice(0, limit);
  out.tail(`Bulk exports in this workspace: ${exports.length}${exports.length > shown.length ? `, newest ${shown.length} shown` : ''}.`);
  for (const e of shown) out.add(exportLine(e));
  if (exports.length > shown.length) out.tail(`More available: call ${ToolNames.exportStatus} with a larger "limit" (up to 50).`);
  out.tail(`For the details of one (counts per type, problems, files) call ${ToolNames.exportStatus} with {"exportId":"<id>"}.`);
  return out.toString();
}
