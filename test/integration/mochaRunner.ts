import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { RELOAD_MARKER, reloadMarker } from './reloadShared';

function mochaFor(grep: string | undefined, timeout: number): Mocha {
  return new Mocha({ ui: 'bdd', color: false, timeout, reporter: 'spec', ...(grep ? { grep } : {}) });
}

function run(mocha: Mocha): Promise<{ failures: number; tests: number }> {
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => resolve({ failures, tests: runner.stats?.tests ?? 0 }));
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * Runs every `*.test.js` below `dir` with mocha inside the extension host (test-electron entry style).
 *
 * A window reload cannot happen inside one mocha run (it ends the extension host, and with it the
 * run), so the reload tests have two phases: `*.phase1.js` files run first, on their own (they
 * open panels and write the marker); the runner then reloads the window. VS Code starts the
 * extension host again and calls this again: the marker is there, so the suite runs, the files
 * that check what came back (`X.test.js` beside `X.phase1.js`) first, before other suites close the editors.
 * Each phase prints its own mocha summary (the launchers add them up).
 */
export async function runSuite(dir: string, timeout = 60000): Promise<void> {
  console.log(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} workbench), extension host Node ${process.version}`);
  // ONEUP_TEST_GREP narrows a run to matching tests while working on one area; CI sets nothing
  const grep = process.env.ONEUP_TEST_GREP;
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  const all = walk(dir).sort();
  let phase1Failed = false;
  const marker = reloadMarker();
  const phase1 = all.filter((f) => f.endsWith('.phase1.js'));
  if (marker && !fs.existsSync(marker) && phase1.length) {
    const first = mochaFor(grep, timeout);
    for (const f of phase1) first.addFile(f);
    const r = await run(first);
    if (r.failures === 0 && fs.existsSync(marker)) {
      console.log(`[reload] phase 1 done (${RELOAD_MARKER} written): reloading the window`);
      await vscode.commands.executeCommand('workbench.action.reloadWindow');
      // this extension host ends with the reload; the next one runs the rest
      await new Promise<never>(() => undefined);
    }
    phase1Failed = r.failures > 0;
  }
  // X.test.js checks what X.phase1.js left before the reload
  const checks = new Set(phase1.map((f) => f.replace(/\.phase1\.js$/, '.test.js')));
  const isReloadCheck = (f: string) => checks.has(f);
  const files = all.filter((f) => f.endsWith('.test.js')).sort((a, b) => Number(isReloadCheck(b)) - Number(isReloadCheck(a)) || a.localeCompare(b));
  const mocha = mochaFor(grep, timeout);
  for (const f of files) mocha.addFile(f);
  const { failures } = await run(mocha);
  if (failures > 0 || phase1Failed) throw new Error(`${failures + (phase1Failed ? 1 : 0)} tests failed.`);
}
