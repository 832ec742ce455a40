import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../../src/constants';

describe('the packaged VSIX', () => {
  it('is installed from the .vsix (not loaded from the source folder) and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension from the VSIX is installed');
    assert.ok(!ext.extensionUri.path.endsWith('/test/vsix-check'), 'loaded the test extension instead');
    assert.ok(ext.extensionUri.path.includes(EXTENSION_ID.toLowerCase()) || ext.extensionUri.path.includes('oneup-health'), `installed path: ${ext.extensionUri.path}`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of [Commands.setCredentials, Commands.startSandbox, Commands.showLog]) assert.ok(commands.has(id), `${id} registered`);
  });

  it('starts the local sandbox from the packaged bundle (lazy parts are in the VSIX)', async () => {
    const url = await vscode.commands.executeCommand<string>(Commands.startSandbox, { port: 0, patients: 2, select: false });
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/connect/system/clinical`);
    assert.equal(res.status, 200);
    await vscode.commands.executeCommand(Commands.stopSandbox);
  });

  it('shows README images from the repository over https, as the details page requires', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = ext.packageJSON as { repository: { url: string } };
    const repo = pkg.repository.url.replace(/\.git$/, '');
    // the README of the installed extension, as the extension's details page renders it: its CSP
    // allows only https: and data: images
    // (vsce stores it as extension/readme.md; VS Code finds it whatever its case)
    const name = fs.readdirSync(ext.extensionPath).find((f) => /^readme\.md$/i.test(f));
    assert.ok(name, 'the VSIX ships the README');
    const readme = fs.readFileSync(path.join(ext.extensionPath, name), 'utf8');
    const { marked } = await import('marked');
    const images: string[] = [];
    marked.walkTokens(marked.lexer(readme), (t) => { if (t.type === 'image') images.push(t.href); });
    assert.ok(images.length >= 3, `README shows screenshots (${images.join(', ')})`);
    // the source checkout this VSIX was built from holds the files the URLs name
    const source = path.resolve(__dirname, '..', '..', '..', '..');
    for (const href of images) {
      assert.ok(href.startsWith(`${repo}/raw/HEAD/`), `${href} is an https URL of the repository's file`);
      const file = path.join(source, href.slice(`${repo}/raw/HEAD/`.length));
      assert.ok(fs.existsSync(file), `${href} names a file of the repository (${file})`);
    }
  });

});
