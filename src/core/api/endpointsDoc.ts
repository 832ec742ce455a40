import { type Endpoint, ENDPOINTS, type Param, type Place, type Source } from './endpoints';

const BASES: readonly { base: string; setting: string; value: string; alternative: string; source: Source }[] = [
  { base: 'api', setting: 'apiUrl', value: 'https://api.1up.health', alternative: '—', source: { doc: 'API.md', line: 12, quote: '' } },
  { base: 'fhir', setting: 'fhirUrl', value: 'https://api.1up.health/fhir', alternative: 'https://api.1up.health (newer docs, without `/fhir`)', source: { doc: 'API.md', line: 13, quote: '' } },
  { base: 'token', setting: 'tokenUrl', value: 'https://api.1up.health/fhir/oauth2/token', alternative: 'https://auth.1up.health/oauth2/token', source: { doc: 'API.md', line: 14, quote: '' } },
  { base: 'bulk', setting: 'bulkDataUrl', value: 'https://analytics.1up.health/bulk-data', alternative: '—', source: { doc: 'API.md', line: 15, quote: '' } },
  { base: 'link', setting: '—', value: 'a URL the server answered (`Content-Location`, `output[].url`, a Bundle `next` link)', alternative: 'only on the environment\'s own origins', source: { doc: 'API.md', line: 65, quote: '' } },
];

const AUTH: Record<Endpoint['auth'], string> = {
  'app-keys': 'app keys as parameters (user management: as `client_id`/`client_secret` headers when the environment sets `userManagementKeys: headers`)',
  bearer: '`Authorization: Bearer <access_token>` of one user',
  'bearer+app-keys': 'the user\'s bearer token and the app keys as parameters',
  'user-or-app': 'a user\'s bearer token, or the headers `client_id`, `client_secret`, `x-oneup-user-id` (a user, or `client` for all users; API.md 21)',
  none: 'none: the URL carries what it needs',
};

const cite = (s: Source): string => (s.doc === 'reference' ? `ref ${s.line}` : `API.md ${s.line}`);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function params(e: Endpoint, places: readonly Place[]): string {
  const list = e.params.filter((p) => places.includes(p.in));
  const names = list.map((p: Param) => `\`${p.name}\`${p.required ? '*' : ''}${p.secret ? '†' : ''}${places.length > 1 ? ` (${p.in})` : ''} ${cite(p.source)}`);
  if (e.openQuery && places.includes('query')) names.push('any FHIR search parameter');
  return names.join('<br>') || '—';
}

function headers(e: Endpoint): string {
  return Object.entries(e.headers).map(([k, v]) => `\`${k}: ${v}\``).join('<br>');
}

/** `src/core/api/README.md`: the endpoint table for people, rendered from `ENDPOINTS`. */
export function renderEndpointsReadme(): string {
  const out: string[] = [
    '# The 1upHealth API as the client sends it',
    '',
    '<!-- Generated from src/core/api/endpoints.ts by renderEndpointsReadme() (endpointsDoc.ts). Do not edit by hand:',
    '     test/unit/api/endpoints.table.test.ts fails when this file is out of step; run it with',
    '     ONEUP_WRITE_ENDPOINTS_README=1 to rewrite it. -->',
    '',
    'Every endpoint of `shared/1uphealth-api-reference.txt` (the contract; cited as "ref N", its line N) and the alternatives in',
    '`shared/API.md` ("API.md N"); copies of both are in `test/fixtures/reference/`, and a test checks that each cited line says',
    'what the table quotes from it. The client modules take method, path and key placement from the table',
    '(`endpoints.ts`), and `test/unit/api/endpoints.sandbox.test.ts` drives every client call against the local sandbox and checks',
    'each request it received (method, path, where every parameter went, headers) against this table.',
    '',
    '`*` required, `†` secret: masked in every log line, a `$ONEUP_*` variable in copy-as-curl. Every request also sends `user-agent`.',
    '',
    '## Bases',
    '',
    '| base | setting | default | alternative | source |',
    '| --- | --- | --- | --- | --- |',
    ...BASES.map((b) => `| ${b.base} | ${b.setting} | ${b.value} | ${b.alternative} | ${cite(b.source)} |`),
    '',
    `## Endpoints (${ENDPOINTS.length})`,
    '',
    '| endpoint | method | base + path | auth | query | form / JSON body | headers | source | sent by |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of ENDPOINTS) {
    const sent = e.via === 'request' ? e.client : e.via === 'browser' ? `${e.client} (a browser opens it)` : 'not sent';
    out.push(`| ${cell(e.title)} \`${e.id}\` | ${e.method} | ${e.base} \`${cell(e.path || '(the URL itself)')}\` | ${e.auth} | ${cell(params(e, ['query']))} | ${cell(params(e, ['form', 'json']))} | ${cell(headers(e))} | ${cite(e.source)} | ${cell(sent)} |`);
  }
  out.push('', '## Authentication', '', '| auth | meaning |', '| --- | --- |');
  for (const [k, v] of Object.entries(AUTH)) out.push(`| ${k} | ${cell(v)} |`);
  out.push('', '## Notes and readings of the reference', '');
  for (const e of ENDPOINTS) if (e.note) out.push(`- \`${e.id}\`: ${e.note}`);
  out.push('');
  return out.join('\n');
}
