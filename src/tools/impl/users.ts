import { Views } from '../../constants';
import { ToolNames } from '../../core/tools/catalog';
import { APP_USER_ID } from '../../core/tools/inputs';
import { usersAnswer } from '../../core/tools/lists';
import { fhirAs } from '../../host/acting';
import type { ToolRun } from '../context';
import { userOf, type ToolUser } from './common';

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export async function listUsers(r: ToolRun): Promise<string> {
  const appUserId = r.input.string('appUserId', { max: 128, pattern: APP_USER_ID, what: 'an app_user_id' });
  const oneupUserId = r.input.string('oneupUserId', { max: 128 });
  const offset = r.input.integer('offset', { min: 0, max: 1_000_000, default: 0 });
  const limit = r.input.integer('limit', { min: 1, max: 100, default: 25 });
  const client = r.s.clients.get();
  const users = await client.users.listUsers({ appUserId, oneupUserId }, r.signal);
  const tokens = new Map<string, string>();
  for (const u of users.slice(offset, offset + limit)) {
    const state = await client.tokenManager({ oneupUserId: u.oneupUserId }).state();
    if (state.kind === 'valid') tokens.set(u.oneupUserId, `valid until ${utc(state.expiresAt)}`);
    else if (state.kind === 'expired') tokens.set(u.oneupUserId, 'expired (renewed on the next call)');
  }
  const filter = appUserId ? `app_user_id "${appUserId}"` : oneupUserId ? `oneup_user_id "${oneupUserId}"` : undefined;
  return usersAnswer({ environment: r.environment.name, users, tokens, filter, offset, limit, maxChars: r.maxChars });
}

/** Sandbox only (the guard refuses elsewhere). The auth code never reaches the answer. */
export async function createUser(r: ToolRun): Promise<string> {
  const appUserId = r.input.string('appUserId', { required: true, max: 128, pattern: APP_USER_ID, what: 'letters, digits and . _ @ + - : only' })!;
  const getToken = r.input.boolean('getToken', false);
  const client = r.s.clients.get();
  const result = await client.users.createUser(appUserId, {}, r.signal);
  r.s.refresh.fire(Views.users);
  if (result.kind === 'exists') {
    const [existing] = await client.users.listUsers({ appUserId }, r.signal);
    return `Not created: the app user “${appUserId}” already exists in “${r.environment.name}”${existing ? ` (oneup_user_id ${existing.oneupUserId}, ${existing.active ? 'active' : 'inactive'})` : ''}. Use it as it is, e.g. ${ToolNames.getAccessToken} with {"appUserId":"${appUserId}"}.`;
  }
  const user: ToolUser = { oneupUserId: result.user.oneupUserId, appUserId: result.user.appUserId || appUserId };
  r.s.logger.info(`[tools] created app user ${user.appUserId} (${user.oneupUserId})`);
  const lines = [`Created the app user “${user.appUserId}” in “${r.environment.name}”: oneup_user_id ${user.oneupUserId}, ${result.user.active ? 'active' : 'inactive'}.`];
  if (getToken) {
    const tokens = await client.tokens.exchangeCode(result.code, r.signal);
    await client.tokenManager({ oneupUserId: user.oneupUserId }).setTokens(tokens);
    r.s.refresh.fire(Views.users);
    lines.push(`Its authorization code was exchanged for an access token, kept in VS Code's secret storage and valid until ${utc(tokens.expiresAt)} (it is not shown here).`);
  } else {
    lines.push(`Its authorization code is not shown here. ${ToolNames.getAccessToken} gets it an access token; the FHIR tools also get one themselves when they act as this user.`);
  }
  const patient = await fhirAs(r.s, r.environment.fhirVersion, user).search('Patient', { _count: 1 }, r.signal).catch(() => undefined);
  const patientId = patient?.entry?.[0]?.resource?.id;
  if (patientId) lines.push(`The sandbox gave it a generated patient: Patient/${patientId} (try ${ToolNames.patientSummary} with {"oneupUserId":"${user.oneupUserId}"}).`);
  return lines.join('\n');
}

/** Sandbox only. Mints a code, exchanges it and keeps the tokens; the answer says until when, never the token. */
export async function getAccessToken(r: ToolRun): Promise<string> {
  const user = (await userOf(r, true))!;
  const client = r.s.clients.get();
  const code = await client.users.createAuthCode({ oneupUserId: user.oneupUserId }, r.signal);
  const tokens = await client.tokens.exchangeCode(code.code, r.signal);
  await client.tokenManager({ oneupUserId: user.oneupUserId }).setTokens(tokens);
  r.s.refresh.fire(Views.users);
  const who = code.appUserId || user.appUserId;
  return [
    `Got an access token for ${who ? `“${who}” (oneup_user_id ${user.oneupUserId})` : `oneup_user_id ${user.oneupUserId}`} in “${r.environment.name}”: valid until ${utc(tokens.expiresAt)} (${Math.round((tokens.expiresAt - Date.now()) / 60000)} minutes)${tokens.scope ? `, scope "${tokens.scope}"` : ''}, with a refresh token.`,
    "The tokens are kept in VS Code's secret storage and are not shown here; the FHIR tools use them when they act as this user. The user can copy the token with “1upHealth: Copy Access Token”.",
  ].join('\n');
}
