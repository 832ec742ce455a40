import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, eventually } from './helpers';

// Our editor-title and Explorer entries ("Open in 1upHealth Viewer", "Create FHIR Resource") show only
// where these context keys say the document is FHIR JSON, not on every JSON file (package.json menus).
describe('FHIR JSON documents (menu context keys)', function () {
  this.timeout(60000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an editor with a FHIR resource counts as FHIR, a package.json-like JSON does not, and edits are followed', async () => {
    const api = await activateExtension();
    const fhir = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify({ resourceType: 'Patient', id: 'p1' }, null, 2) });
    await vscode.window.showTextDocument(fhir);
    await eventually(() => api.fhirDocuments.state().active, 'the FHIR editor to count as FHIR');
    assert.ok(api.fhirDocuments.state().files.includes(fhir.uri.toString()));

    const plain = await vscode.workspace.openTextDocument({ language: 'json', content: '{ "name": "my-app", "dependencies": { "resourceType": "x" } }' });
    await vscode.window.showTextDocument(plain);
    await eventually(() => !api.fhirDocuments.state().active, 'a JSON without a top-level resourceType not to count');
    assert.ok(!api.fhirDocuments.state().files.includes(plain.uri.toString()));

    // typing a top-level resourceType into it makes it FHIR
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), '{ "resourceType": "Bundle", "type": "collection" }'));
    await eventually(() => api.fhirDocuments.state().active, 'the edited document to count as FHIR');
  });
});
