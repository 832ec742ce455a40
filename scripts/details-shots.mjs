// Installs the packaged VSIX into the offline VS Code and takes pictures of its details page (the README
// as VS Code shows it, with its images). Run: npm run package && node scripts/with-node.mjs node
// scripts/details-shots.mjs [dark|light]; pictures go to .shots/ (ONEUP_SHOTS_OUT to change).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';
import { startCodeServer, stopCodeServer, openWorkbench, runCommand, sleep, SIZE } from './workbench.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const repo = pkg.repository.url.replace(/\.git$/, '');
const outDir = path.resolve(process.env.ONEUP_SHOTS_OUT || path.join(root, '.shots'));
fs.mkdirSync(outDir, { recursive: true });
const theme = process.argv[2] ?? 'dark';
const run = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-details-'));
const { child, url } = await startCodeServer(run, theme, { vsix });
let context;
try {
  ({ context } = await openWorkbench(run, url, { vsix }));
  const page = context.pages()[0];
  // this machine has no internet: the repository's raw files are answered from the worktree, as
  // GitHub answers them once the repository is published (everything else from outside fails)
  const served = [];
  await context.route(`${repo}/raw/HEAD/**`, (route) => {
    const rel = route.request().url().slice(`${repo}/raw/HEAD/`.length);
    served.push(rel);
    route.fulfill({ status: 200, contentType: 'image/png', body: fs.readFileSync(path.join(root, rel)) });
  });
  await sleep(3000);
  await runCommand(page, 'Extensions: Show Installed Extensions');
  const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: '1upHealth for VS Code' }).first();
  await row.waitFor({ timeout: 60000 });
  await row.click();
  await page.locator('.extension-editor').waitFor({ timeout: 60000 });
  // the README renders in a webview: wait for its first image to load
  let frame;
  for (let i = 0; i < 120 && !frame; i++) {
    for (const f of page.frames()) {
      const ok = await f.evaluate(() => { const img = document.querySelector('img[alt*="1upHealth views"]'); return !!img && img.complete && img.naturalWidth > 0; }).catch(() => false);
      if (ok) { frame = f; break; }
    }
    if (!frame) await sleep(500);
  }
  if (!frame) {
    await page.screenshot({ path: path.join(outDir, `details-${theme}-failed.png`) });
    for (const f of page.frames()) console.log(f.url().slice(0, 100), await f.evaluate(() => [...document.querySelectorAll('img')].map((i) => `${i.getAttribute('src')} ${i.naturalWidth}`).join(' | ')).catch((e) => String(e).slice(0, 80)));
    throw new Error('the README image never loaded');
  }
  const info = await frame.evaluate(() => [...document.querySelectorAll('img')].map((i) => `${i.getAttribute('src')?.slice(0, 120)} ${i.complete && i.naturalWidth > 0 ? 'loaded' : 'NOT LOADED'} ${i.naturalWidth}x${i.naturalHeight}`));
  console.log(info.join('\n'));
  await page.mouse.move(SIZE.width - 5, SIZE.height - 40);
  await sleep(800);
  await page.screenshot({ path: path.join(outDir, `details-${theme}-top.png`) });
  for (const [alt, name] of [['Bundle viewer with the detail pane', 'table'], ['Export summary, light theme', 'explore']]) {
    await frame.evaluate((a) => document.querySelector(`img[alt="${a}"]`)?.scrollIntoView({ block: 'start' }), alt);
    await sleep(1200);
    await page.screenshot({ path: path.join(outDir, `details-${theme}-${name}.png`) });
  }
  console.log('saved; served from the repository URL: ' + [...new Set(served)].join(', '));
} finally {
  await context?.close().catch(() => undefined);
  await stopCodeServer(child);
  fs.rmSync(run, { recursive: true, force: true });
}
