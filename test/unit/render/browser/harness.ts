// A stand-in for a VS Code webview in real Chromium: the page the host would build (same shell,
// same CSP, with this server as the webview's own source), the webview scripts built by esbuild,
// a fake acquireVsCodeApi, and a record of every request and CSP violation.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { Browser, chromium, Page } from 'playwright-core';
import { renderShell } from '../../../../src/core/render/shell';
import { ROOT } from '../fixtures';

export const SCRIPTS = ['bundle', 'resource', 'patient', 'connect', 'healthSystems', 'attachment', 'ndjson', 'summary', 'restore'] as const;
export type Script = (typeof SCRIPTS)[number];

const STYLES: Record<Script, string[]> = {
  bundle: ['viewer.css'], resource: ['viewer.css'], patient: ['viewer.css', 'record.css'], connect: ['record.css'], healthSystems: ['record.css'], attachment: ['viewer.css'],
  ndjson: ['viewer.css', 'ndjson.css'], summary: ['summary.css'], restore: ['restore.css'],
};

/** Builds the webview scripts from source (as the extension's build does), in memory. */
export async function buildClients(minify = true): Promise<Map<string, string>> {
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(SCRIPTS.map((s) => [s, path.join(ROOT, 'src', 'webviews', 'client', `${s}.ts`)])),
    bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify, write: false, outdir: '/webview', logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((f) => [path.basename(f.path, '.js'), f.text]));
}

export interface Server {
  origin: string;
  /** every path asked for */
  hits: string[];
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The webview's "own source": pages, scripts and media. `/frame` is a stand-in Connect page. */
export async function startWebviewServer(clients: Map<string, string>): Promise<Server> {
  const hits: string[] = [];
  const media = path.join(ROOT, 'media', 'webview');
  const { server, origin } = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const page = /^\/page\/(\w+)$/.exec(url.pathname);
    if (page && (SCRIPTS as readonly string[]).includes(page[1])) {
      const script = page[1] as Script;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderShell({
        title: `test ${script}`, cspSource: origin, nonce: randomBytes(18).toString('base64'), scriptUri: `${origin}/webview/${script}.js`,
        styleUris: [`${origin}/media/codicons/codicon.css`, `${origin}/media/base.css`, ...STYLES[script].map((s) => `${origin}/media/${s}`)],
        imageOrigins: url.searchParams.getAll('img'), frameOrigins: url.searchParams.getAll('frame'), bodyClass: url.searchParams.get('theme') ?? 'vscode-dark',
        // the page's data block (translations, what to restore after a reload), as the host passes it
        data: url.searchParams.has('data') ? JSON.parse(url.searchParams.get('data')!) : undefined,
        lang: url.searchParams.get('lang') ?? undefined,
      }));
      return;
    }
    const js = /^\/webview\/(\w+)\.js$/.exec(url.pathname);
    if (js && clients.has(js[1])) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(clients.get(js[1]));
      return;
    }
    if (url.pathname.startsWith('/media/')) {
      const file = path.resolve(media, '.' + url.pathname.slice('/media'.length));
      if (file.startsWith(media + path.sep) && fs.existsSync(file)) {
        const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream';
        res.writeHead(200, { 'content-type': type });
        res.end(fs.readFileSync(file));
        return;
      }
    }
    if (url.pathname === '/frame') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><title>Connect</title><h1>Connect a health system</h1>');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return { origin, hits, close: () => new Promise((r) => server.close(() => r())) };
}

/** A server that should never be asked anything: payloads point at it. */
export async function startTrapServer(): Promise<Server> {
  const hits: string[] = [];
  const { server, origin } = await listen((req, res) => {
    hits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end();
  });
  return { origin, hits, close: () => new Promise((r) => server.close(() => r())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** The little of the browser's globals the page functions below use (tsconfig has no DOM lib). */
interface Win {
  __sent: { type: string }[];
  __violations: string[];
  __state: unknown;
  acquireVsCodeApi: unknown;
  location: { origin: string };
  postMessage(message: unknown, targetOrigin: string): void;
  document: {
    addEventListener(type: string, listener: (e: { violatedDirective: string; blockedURI: string }) => void, options?: { once: boolean }): void;
    documentElement: { style: { setProperty(name: string, value: string): void } };
  };
}

export interface WebviewPage {
  page: Page;
  /** every URL the page requested */
  requests: string[];
  /** calls of window.__pwned and dialogs: what a payload that ran would leave */
  pwned: string[];
  /** messages the webview posted to its host */
  sent(): Promise<{ type: string; [k: string]: unknown }[]>;
  violations(): Promise<string[]>;
  post(message: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  theme?: { bodyClass: string; vars: Record<string, string> };
  state?: unknown;
  viewport?: { width: number; height: number };
  query?: Record<string, string | string[]>;
  /** the page's data block: `{ l10n: bundle, restore: descriptor }` */
  data?: Record<string, unknown>;
  lang?: string;
}

/** Opens a webview page with a fake VS Code API and waits for its `ready`. */
export async function openWebview(browser: Browser, server: Server, script: Script, o: OpenOptions = {}): Promise<WebviewPage> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1100, height: 700 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const pwned: string[] = [];
  page.on('request', (r) => { requests.push(r.url()); });
  page.on('dialog', (d) => { pwned.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.exposeFunction('__pwned', (tag: unknown) => { pwned.push(String(tag)); });
  await page.addInitScript(({ state, vars }) => {
    const w = globalThis as unknown as Win;
    w.__sent = [];
    w.__violations = [];
    w.__state = state;
    w.document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => w.__sent.push(JSON.parse(JSON.stringify(m))),
      getState: () => w.__state,
      setState: (s: unknown) => { w.__state = s; },
    });
    // VS Code puts the theme's colours on <html> as --vscode-* variables (once <html> exists)
    w.document.addEventListener('readystatechange', () => {
      for (const [k, v] of Object.entries(vars)) w.document.documentElement.style.setProperty(k, v);
    }, { once: true });
  }, { state: o.state, vars: o.theme?.vars ?? {} });
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(o.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) query.append(k, x);
  if (o.theme) query.set('theme', o.theme.bodyClass);
  if (o.data) query.set('data', JSON.stringify(o.data));
  if (o.lang) query.set('lang', o.lang);
  await page.goto(`${server.origin}/page/${script}?${query}`);
  const sent = async () => page.evaluate(() => (globalThis as unknown as Win).__sent);
  await page.waitForFunction(() => (globalThis as unknown as Win).__sent.some((m) => m.type === 'ready'));
  return {
    page, requests, pwned, sent,
    violations: () => page.evaluate(() => (globalThis as unknown as Win).__violations),
    // as VS Code delivers it: JSON across the boundary, then a message event from the parent frame on this origin
    post: (message) => page.evaluate((json) => { const w = globalThis as unknown as Win; w.postMessage(JSON.parse(json), w.location.origin); }, JSON.stringify(message)),
    close: () => context.close(),
  };
}

/**
 * The webview server and Chromium for one suite: started before its tests, stopped after. Read
 * `browser` and `server` inside tests (they exist once the suite's `before` ran).
 */
export function chromiumSuite(): { readonly browser: Browser; readonly server: Server } {
  const suite = {} as { browser: Browser; server: Server };
  before(async () => {
    suite.server = await startWebviewServer(await buildClients());
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
