import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Runs every `*.test.js` below `dir` with mocha inside the extension host (test-electron entry style). */
export function runSuite(dir: string, timeout = 60000): Promise<void> {
  console.log(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} workbench), extension host Node ${process.version}`);
  // ONEUP_TEST_GREP narrows a run to matching tests while working on one area; CI sets nothing
  const grep = process.env.ONEUP_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout, reporter: 'spec', ...(grep ? { grep } : {}) });
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.test.js') ? [path.join(d, e.name)] : []);
  for (const f of walk(dir).sort()) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} tests failed.`)) : resolve()));
    } catch (err) {
      reject(err);
    }
  });
}
