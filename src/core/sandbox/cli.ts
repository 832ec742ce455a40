// `npm run sandbox -- [flags]`: runs the sandbox in a terminal until Ctrl-C.
import { readFileSync } from 'node:fs';
import type { Logger } from '../log';
import type { FaultRule } from './http/faults';
import { startSandbox } from './index';
import { EXPORT_RETRY_AFTER_STYLES, type ExportRetryAfterStyle, type SandboxOptions } from './options';

const HELP = `Usage: npm run sandbox -- [flags]

  --port N               port on 127.0.0.1 (default: any free port)
  --seed N               generator seed (default 1)
  --patients N           generated patients besides the Synthea demo set (default 20)
  --users N              demo users to create (default: one per demo patient)
  --data-dir PATH        where export files go (default: a temporary folder)
  --mode M               production | spec: answer as production 1upHealth does (default), or in the
                         FHIR specification's style (self/first/previous/next links with a cursor)
  --export-style S       direct | async: how $export answers by default (default direct)
  --export-file-max N    at most N resources per export file (default 100000)
  --export-manifest M    production | spec: the export manifest's shape alone (default: as --mode)
  --export-retry-after S delay | http-date | epoch-seconds | epoch-ms: how status polls write Retry-After
  --no-export-gzip       never gzip export files (by default they are when the client asks)
  --tls-cert PATH        serve HTTPS with this PEM certificate (and --tls-key PATH)
  --token-lifetime S     access token lifetime in seconds (default 7200)
  --code-lifetime S      authorization code lifetime in seconds (default 7200)
  --rate-limit N         user-management calls per app per hour, 0 = unlimited (default 300)
  --client-id ID         the demo app's client_id
  --client-secret S      the demo app's client_secret
  --fault JSON           a fault rule, e.g. '{"route":"/fhir/r4/Patient","times":3,"fault":{"kind":"status","status":503}}'
  --quiet                no line per request
  --help                 this text
`;

const NUMBERS: Record<string, keyof SandboxOptions> = {
  '--port': 'port', '--seed': 'seed', '--patients': 'patients', '--users': 'users', '--export-file-max': 'exportMaxResourcesPerFile',
  '--token-lifetime': 'tokenLifetimeSeconds', '--code-lifetime': 'codeLifetimeSeconds', '--rate-limit': 'rateLimitPerHour',
};

/** Parses the flags; throws with a message naming the bad one. */
export function parseArgs(argv: string[]): { options: SandboxOptions; quiet: boolean; help: boolean } {
  const options: SandboxOptions = {};
  const faults: FaultRule[] = [];
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  let tlsCert: string | undefined;
  let tlsKey: string | undefined;
  let quiet = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag in NUMBERS) {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number >= 0, got "${v}"`);
      (options as Record<string, unknown>)[NUMBERS[flag]] = n;
    } else if (flag === '--data-dir') options.dataDir = value();
    else if (flag === '--export-style') {
      const v = value();
      if (v !== 'direct' && v !== 'async') throw new Error(`--export-style is direct or async, got "${v}"`);
      options.exportStyle = v;
    } else if (flag === '--mode') {
      const v = value();
      if (v !== 'production' && v !== 'spec') throw new Error(`--mode is production or spec, got "${v}"`);
      options.mode = v;
    } else if (flag === '--export-manifest') {
      const v = value();
      if (v !== 'production' && v !== 'spec') throw new Error(`--export-manifest is production or spec, got "${v}"`);
      options.exportManifest = v;
    } else if (flag === '--export-retry-after') {
      const v = value();
      if (!(EXPORT_RETRY_AFTER_STYLES as readonly string[]).includes(v)) throw new Error(`--export-retry-after is one of ${EXPORT_RETRY_AFTER_STYLES.join(', ')}, got "${v}"`);
      options.exportRetryAfter = v as ExportRetryAfterStyle;
    } else if (flag === '--no-export-gzip') options.exportGzip = false;
    else if (flag === '--tls-cert') tlsCert = value();
    else if (flag === '--tls-key') tlsKey = value();
    else if (flag === '--client-id') clientId = value();
    else if (flag === '--client-secret') clientSecret = value();
    else if (flag === '--fault') {
      const v = value();
      try {
        faults.push(JSON.parse(v) as FaultRule);
      } catch {
        throw new Error(`--fault needs a JSON fault rule, got ${v}`);
      }
    } else if (flag === '--quiet') quiet = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else throw new Error(`unknown flag ${argv[i]} (see --help)`);
  }
  if (clientId || clientSecret) {
    options.apps = [{ clientId: clientId ?? 'sandbox-client-id', clientSecret: clientSecret ?? 'sandbox-client-secret', name: 'Sandbox demo app' }];
  }
  if (faults.length) options.faults = faults;
  if (!tlsCert !== !tlsKey) throw new Error('--tls-cert and --tls-key go together');
  if (tlsCert && tlsKey) options.tls = { cert: readFileSync(tlsCert), key: readFileSync(tlsKey) };
  return { options, quiet, help };
}

function consoleLogger(quiet: boolean): Logger {
  const line = (level: string) => (m: string | Error) => {
    if (quiet && level === 'info') return;
    const text = typeof m === 'string' ? m : m.stack ?? m.message;
    (level === 'error' || level === 'warn' ? console.error : console.log)(`[sandbox] ${text}`);
  };
  return { trace: () => undefined, debug: () => undefined, info: line('info'), warn: line('warn'), error: line('error') };
}

/** Runs until SIGINT/SIGTERM; answers the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (parsed.help) {
    console.log(HELP);
    return 0;
  }
  const sandbox = await startSandbox({ ...parsed.options, logger: consoleLogger(parsed.quiet) });
  const { url, credentials: c } = sandbox;
  const app = `-d client_id=${c.clientId} -d client_secret=${c.clientSecret}`;
  const users = sandbox.state.users();
  console.log(`
1upHealth local sandbox on ${url} (${parsed.options.mode ?? 'production'} mode)
  client_id:     ${c.clientId}
  client_secret: ${c.clientSecret}
  ${sandbox.state.patientCount()} patients; users ${users.length ? `${users[0].appUserId} … ${users[users.length - 1].appUserId}` : '(none)'}

Try it:
  # an authorization code for a demo user, then an access token
  curl -s -X POST ${url}/user-management/v1/user/auth-code -d app_user_id=demo-user-1 ${app}
  curl -s -X POST ${url}/fhir/oauth2/token -d grant_type=authorization_code -d code=CODE ${app}
  # that user's data
  curl -s "${url}/fhir/r4/Patient" -H "Authorization: Bearer ACCESS_TOKEN"
  curl -s "${url}/fhir/r4/Observation?_count=5&_content=glucose" -H "Authorization: Bearer ACCESS_TOKEN"
  # every user's data, with the app's credentials
  curl -s "${url}/fhir/r4/Patient?_count=3" -H "client_id: ${c.clientId}" -H "client_secret: ${c.clientSecret}" -H "x-oneup-user-id: client"
  curl -s "${url}/bulk-data/r4/\\$export?_type=Patient,Condition" -H "client_id: ${c.clientId}" -H "client_secret: ${c.clientSecret}" -H "x-oneup-user-id: client"
  # a 503 on demand
  curl -si "${url}/fhir/r4/Patient" -H 'x-sandbox-fault: {"kind":"status","status":503,"retryAfter":"2"}'
  # the connect page (add ?client_id=…&access_token=… for a user)
  ${url}/connect

Ctrl-C stops it.
`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}
