import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../../src/constants';
import { activateExtension, eventually } from './helpers';

describe('activation', () => {
  it('activates on its view container and registers every contributed command', async () => {
    const s = await activateExtension();
    assert.ok(s.environments, 'activate() answers the services');
    const pkg = JSON.parse(fs.readFileSync(path.join(s.context.extensionPath, 'package.json'), 'utf8'));
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('answers its services only because VS Code runs it in Test mode', async () => {
    // the VSIX check (test/vsix-check) installs the packaged extension, which runs in Production
    // mode, and checks there that other extensions get no services
    const s = await activateExtension();
    assert.equal(s.context.extensionMode, vscode.ExtensionMode.Test);
    assert.ok(s.credentials && s.clients, 'the services tests drive');
  });

  it('resolves all four views: App Users, Health Systems, FHIR Resources, Exports', async () => {
    const s = await activateExtension();
    const pkg = JSON.parse(fs.readFileSync(path.join(s.context.extensionPath, 'package.json'), 'utf8'));
    const declared = (pkg.contributes.views.oneup as { id: string }[]).map((v) => v.id);
    const ours = [Views.users, Views.healthSystems, Views.resources, Views.exports];
    assert.deepEqual(declared, ours, 'the 1upHealth container declares exactly these views, in this order');
    await vscode.commands.executeCommand('workbench.view.extension.oneup');
    for (const view of ours) {
      // `<view>.focus` exists only for a view VS Code knows, and resolves once the view is shown
      await vscode.commands.executeCommand(`${view}.focus`);
    }
  });

  it('shows the active environment in the status bar and switches environments by command', async () => {
    const s = await activateExtension();
    // whatever an earlier suite left active (the reload suite ends with the Local Sandbox) comes back after
    const was = s.environments.activeName();
    await vscode.workspace.getConfiguration().update(Settings.environments, {
      Staging: { apiUrl: 'https://staging.example.test', fhirUrl: 'https://staging.example.test/fhir', tokenUrl: 'https://staging.example.test/fhir/oauth2/token', bulkDataUrl: 'https://staging.example.test/bulk-data', fhirVersion: 'stu3' },
    }, vscode.ConfigurationTarget.Global);
    try {
      await eventually(() => s.environments.all().has('Staging'), 'the Staging environment');
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: 'Staging' });
      assert.equal(s.environments.activeName(), 'Staging');
      assert.equal(s.environments.active()?.fhirVersion, 'stu3');
      // the built-in one is always there, even when the setting replaces the default map
      assert.ok(s.environments.all().has('1upHealth'));
    } finally {
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: was });
      await vscode.workspace.getConfiguration().update(Settings.environments, undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
