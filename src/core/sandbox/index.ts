// A local server that behaves like the 1upHealth API (user management, OAuth2 tokens, FHIR
// dstu2/stu3/r4, connect, bulk export) on 127.0.0.1, with synthetic patients and faults on demand.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nullLogger } from '../log';
import { Apps } from './auth/apps';
import { RateLimiter } from './auth/rateLimit';
import { Tokens } from './auth/tokens';
import { ExportJobs } from './bulk/jobs';
import { healthSystems } from './connect/systems';
import { Dataset } from './data/dataset';
import { defaultFixturesDir, loadFixtures } from './data/fixtures';
import { Overlay } from './data/overlay';
import { SearchEngine } from './data/search';
import { DataView } from './data/view';
import type { FaultRule } from './http/faults';
import { Faults } from './http/faults';
import { Origins } from './http/origin';
import { sendJson } from './http/reply';
import { Router } from './http/router';
import { requestHandler } from './http/server';
import type { SandboxInspector } from './inspector';
import { inspector } from './inspector';
import type { SandboxOptions } from './options';
import { resolveOptions } from './options';
import { bulkRoutes } from './routes/bulk';
import { connectRoutes } from './routes/connect';
import { fhirRoutes } from './routes/fhir';
import { tokenRoutes } from './routes/tokens';
import { userRoutes } from './routes/users';
import type { Services } from './services';
import { Users } from './users';

export type { SandboxMode, SandboxOptions } from './options';
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './options';
export type { Fault, FaultRule } from './http/faults';
export type { SandboxInspector, SandboxUserView, ConnectedSystem } from './inspector';
export type { CallRecord } from './services';

export interface RunningSandbox {
  /** e.g. "http://127.0.0.1:43117" (no trailing slash; the `hostname` option's name instead of 127.0.0.1) */
  url: string;
  /** the first app's */
  credentials: { clientId: string; clientSecret: string };
  state: SandboxInspector;
  addFault(rule: FaultRule): void;
  /** How many fault rules have not been used up yet (a rule is used when a request it matches arrives). */
  pendingFaults(): number;
  /**
   * Answers requests whose Host is `host` too (`name:port`, exactly): the address a browser
   * reaches the sandbox at through a forwarded port (VS Code in a browser), and nothing else.
   */
  allowHost(host: string): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const o = resolveOptions(options);
  const logger = options.logger ?? nullLogger;
  const fixtures = await loadFixtures(options.fixturesDir ?? defaultFixturesDir());
  const systems = healthSystems(fixtures.hospitals);
  const apps = new Apps(o.apps);
  const dataset = new Dataset(o.seed, o.patients, fixtures, systems, apps.first.clientId);
  const overlay = new Overlay({ maxCount: o.maxCreatedResources, maxBytes: o.maxCreatedBytes });
  const view = new DataView(dataset, overlay);
  const users = new Users(dataset);
  const demoUsers = o.users ?? dataset.demoPatients.length;
  for (let i = 0; i < demoUsers; i++) users.create(apps.first.clientId, `demo-user-${i + 1}`, dataset.demoPatients[i]);

  const ownsDir = !options.dataDir;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : await mkdtemp(path.join(tmpdir(), 'oneup-sandbox-'));
  // one folder per run, so two sandboxes can share a data dir
  const exportsRoot = path.join(dataDir, 'exports', randomUUID().slice(0, 8));
  await mkdir(exportsRoot, { recursive: true });

  const s: Services = {
    url: '',
    options: o,
    apps,
    users,
    tokens: new Tokens({ accessSeconds: o.tokenLifetimeSeconds, codeSeconds: o.codeLifetimeSeconds, refreshSeconds: o.refreshTokenLifetimeSeconds }),
    rateLimit: new RateLimiter(o.rateLimitPerHour),
    dataset,
    overlay,
    view,
    search: new SearchEngine(view),
    exports: new ExportJobs(view, { root: exportsRoot, maxPerFile: o.exportMaxResourcesPerFile, retentionSeconds: o.exportRetentionSeconds }, logger),
    systems,
    logger,
    calls: [],
  };
  const router = new Router();
  router.add('GET', /^\/$/, (ctx) => sendJson(ctx, 200, {
    name: '1upHealth local sandbox',
    userManagement: `${s.url}/user-management/v1/user`,
    token: `${s.url}/fhir/oauth2/token`,
    fhir: ['dstu2', 'stu3', 'r4'].map((v) => `${s.url}/fhir/${v}`),
    bulkData: `${s.url}/bulk-data/r4/$export`,
    connect: `${s.url}/connect`,
  }));
  userRoutes(router, s);
  tokenRoutes(router, s);
  fhirRoutes(router, s);
  bulkRoutes(router, s);
  connectRoutes(router, s);

  const faults = new Faults(options.faults);
  let port = 0;
  const origins = new Origins(() => port, o.allowedHosts, o.hostname);
  // a slow or silent client (slowloris) is cut off; the timers are checked every second
  const serverOptions = {
    headersTimeout: Math.min(o.headersTimeoutMs, o.requestTimeoutMs),
    requestTimeout: o.requestTimeoutMs,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
  };
  const handler = requestHandler(s, router, faults, origins);
  const server = options.tls ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, handler) : createServer(serverOptions, handler);
  server.maxConnections = o.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  s.url = `${options.tls ? 'https' : 'http'}://${o.hostname ?? '127.0.0.1'}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: s.url,
    credentials: { clientId: apps.first.clientId, clientSecret: apps.first.clientSecret },
    state: inspector(s),
    addFault: (rule) => faults.add(rule),
    pendingFaults: () => faults.pending(),
    allowHost: (host) => {
      const h = host.toLowerCase();
      if (!/^[a-z0-9.-]+:\d{1,5}$|^\[[0-9a-f:.]+\]:\d{1,5}$/.test(h)) throw new RangeError(`not a host:port: ${JSON.stringify(host)}`);
      origins.allowHost(h);
    },
    close: () => closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await s.exports.close();
      await closed;
      await rm(ownsDir ? dataDir : exportsRoot, { recursive: true, force: true });
    })(),
  };
}
