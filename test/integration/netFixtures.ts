import * as assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as vscode from 'vscode';

/** What scripts/network-test-setup.sh prepared (see its header). */
export interface NetSetup {
  osTrustedCa: string;
  serverCert: string;
  serverKey: string;
  untrustedCert: string;
  untrustedKey: string;
  /** A hosts-file name of 127.0.0.1 (VS Code never proxies localhost / 127.0.0.1). */
  proxiedHost: string;
}

const SETUP_HINT = 'Run .ci/run on this machine, or `sudo bash scripts/network-test-setup.sh`, before the network integration tests.';
const pemKey = (pem: string) => pem.replace(/-----[^-]+-----|\s+/g, '');

/**
 * Reads the setup and checks that it still holds: the CA is in the OS store and nowhere else Node
 * looks by default (else the test proves nothing), and the alias resolves to 127.0.0.1.
 */
export async function loadNetSetup(): Promise<NetSetup> {
  const dir = process.env.ONEUP_NET_TEST_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'oneup-vscode', 'network-tests');
  const file = path.join(dir, 'setup.json');
  assert.ok(fs.existsSync(file), `The network test setup is missing (${file}). ${SETUP_HINT}`);
  const setup = JSON.parse(fs.readFileSync(file, 'utf8')) as NetSetup;
  for (const f of [setup.osTrustedCa, setup.serverCert, setup.serverKey, setup.untrustedCert, setup.untrustedKey]) {
    assert.ok(fs.existsSync(f), `${f} is missing. ${SETUP_HINT}`);
  }
  const ca = pemKey(fs.readFileSync(setup.osTrustedCa, 'utf8'));
  assert.ok(tls.getCACertificates('system').some((c) => pemKey(c) === ca), `The test CA is not in the OS trust store. ${SETUP_HINT}`);
  assert.ok(!tls.getCACertificates('default').some((c) => pemKey(c) === ca),
    'Node already trusts the OS store by default in this extension host (NODE_EXTRA_CA_CERTS or --use-system-ca): the OS-certificate test would prove nothing. Start VS Code without them (scripts/integration.mjs drops NODE_EXTRA_CA_CERTS).');
  const resolved = await lookup(setup.proxiedHost, { family: 4 }).catch(() => undefined);
  assert.equal(resolved?.address, '127.0.0.1', `${setup.proxiedHost} does not resolve to 127.0.0.1. ${SETUP_HINT}`);
  return setup;
}

/** An HTTPS server on 127.0.0.1 that hands every request to a plain-http server (the sandbox), like a TLS-terminating gateway. */
export async function startTlsFront(target: string, cert: string, key: string, name = 'localhost'): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const to = new URL(target);
  const state = { hits: 0 };
  const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
    state.hits++;
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://${name}:${(server.address() as AddressInfo).port}`,
    get hits() {
      return state.hits;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * Sets user settings for a test and answers a function that puts back what was there (so tests
 * do not depend on their order).
 */
export async function withSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const config = () => vscode.workspace.getConfiguration();
  const before = Object.keys(values).map((key) => [key, config().inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) await config().update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [key, value] of before) await config().update(key, value, vscode.ConfigurationTarget.Global);
  };
}

/** An environment named `name` whose URLs all start at `base` (the sandbox's layout). */
export function environmentAt(base: string): Record<string, string> {
  return { apiUrl: base, fhirUrl: `${base}/fhir`, tokenUrl: `${base}/fhir/oauth2/token`, bulkDataUrl: `${base}/bulk-data`, fhirVersion: 'r4' };
}
