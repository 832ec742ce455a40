import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { ExportSummary } from '../core/bulkExport';
import { resolveExportFolder } from '../core/bulkExport/folder';
import { CancelledError, InputError } from '../core/errors';
import type { Command } from '../host/commands';
import type { Services } from '../host/services';

/** An Exports view item (see tree/exports.ts), or `{folder}`. */
type ExportArgs = { kind: 'export'; entry: { folder: string; summary?: ExportSummary } } | { folder?: string } | undefined;

/** What the commands need of the Exports view. */
export interface ExportsViewHandle {
  running: { has(folder: string): boolean };
  refresh(): void;
}

/** The export folder a command is about: an Exports view item, or `{folder}`. */
function folderOf(args: ExportArgs): string {
  const folder = args && 'entry' in args ? args.entry.folder : args && 'folder' in args ? args.folder : undefined;
  if (typeof folder !== 'string' || !folder) throw new InputError(vscode.l10n.t('Choose an export in the Exports view.'));
  return folder;
}

/** The workspace folders on disk: exports live only in them. */
function roots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/**
 * The Exports view's context menu: Reveal in Explorer and Delete (confirmed, to the trash where the system has one). Resume is
 * "Resume Bulk Export", which takes the same items.
 */
export function exportViewCommands(s: Services, tree: ExportsViewHandle): Command[] {
  const reveal: Command<ExportArgs> = {
    id: Commands.revealExport,
    async run(args) {
      const folder = await resolveExportFolder(folderOf(args), roots());
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
    },
  };

  const remove: Command<ExportArgs & { confirm?: boolean }> = {
    id: Commands.deleteExport,
    async run(args) {
      const folder = await resolveExportFolder(folderOf(args), roots());
      if (tree.running.has(folder)) throw new InputError(vscode.l10n.t('This export is still running: cancel it first.'));
      const node = args && 'entry' in args ? args : undefined;
      const sum = node?.entry.summary;
      const name = folder.split(/[\\/]/).slice(-1)[0];
      const mb = sum ? (sum.bytes / 1048576).toFixed(1) : '';
      const question = !sum ? vscode.l10n.t('Delete the bulk export {0} (an unfinished export)?', name)
        : sum.files.length === 1 ? vscode.l10n.t('Delete the bulk export {0} (1 file, {1} MB)?', name, mb)
          : vscode.l10n.t('Delete the bulk export {0} ({1} files, {2} MB)?', name, sum.files.length, mb);
      if (!(args && 'confirm' in args && args.confirm === true)) {
        const remove = vscode.l10n.t('Delete');
        const go = await vscode.window.showWarningMessage(question,
          { modal: true, detail: `${folder}\n\n${vscode.l10n.t('Its files are moved to the trash where the system has one, else deleted.')}` }, remove);
        if (go !== remove) throw new CancelledError();
      }
      await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true, useTrash: true }).then(undefined,
        // no trash (a server, a container): delete for good, as the dialog said
        () => vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true, useTrash: false }));
      s.logger.info(`[export] deleted ${folder}`);
      tree.refresh();
      return folder;
    },
  };

  return [reveal, remove];
}
