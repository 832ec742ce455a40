import * as l10n from '@vscode/l10n';
import { ApiError, AuthError } from '../errors';
import type { CurlSecret } from './curl';
import { endpoint, keysPlace } from './endpoints';
import { errorFromBody } from './response';
import { sleep } from './retry';
import type { Transport } from './transport';

/** A user's tokens as the client keeps them: `expires_in` turned into an absolute time. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  scope?: string;
  /** Only when `openid` was in the code's scope. */
  idToken?: string;
  /** When the access token expires, ms since epoch (from when the request was sent). */
  expiresAt: number;
}

export interface TokensOptions {
  /** Waits before re-trying a code exchange answered "invalid grant" (fresh codes take a moment at 1up). */
  codeRetryDelaysMs?: readonly number[];
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

// When the server does not say, assume the shorter of the two lifetimes 1up's docs show.
const DEFAULT_EXPIRES_IN = 3599;

interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  id_token?: unknown;
}

/** `POST {tokenUrl}`: authorization-code and refresh-token grants, app keys as form fields. */
export class TokensApi {
  constructor(private readonly transport: Transport, private readonly o: TokensOptions = {}) {}

  /** Exchanges an auth code; an "invalid grant" answer is re-tried after each of `codeRetryDelaysMs`. */
  async exchangeCode(code: string, signal?: AbortSignal): Promise<TokenSet> {
    const delays = this.o.codeRetryDelaysMs ?? [1000, 2000];
    for (let i = 0; ; i++) {
      try {
        return await this.grant('tokens.exchange', [['grant_type', 'authorization_code'], ['code', code]], [{ value: code, kind: 'code' }], signal);
      } catch (e) {
        if (!(e instanceof AuthError) || e.problem !== 'token-rejected' || i >= delays.length) throw e;
        await (this.o.sleep ?? sleep)(delays[i], signal);
      }
    }
  }

  /** Trades a refresh token for new tokens; AuthError('token-rejected') when it is refused. */
  refreshToken(refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
    return this.grant('tokens.refresh', [['grant_type', 'refresh_token'], ['refresh_token', refreshToken]], [{ value: refreshToken, kind: 'refreshToken' }], signal);
  }

  private async grant(id: 'tokens.exchange' | 'tokens.refresh', fields: [string, string][], secrets: CurlSecret[], signal?: AbortSignal): Promise<TokenSet> {
    const e = endpoint(id);
    const sentAt = (this.o.now ?? Date.now)();
    const url = this.transport.environment.tokenUrl.replace(/\/+$/, '') + e.path;
    const path = new URL(url).pathname;
    // the app keys follow the grant's fields as form fields (the transport adds them and masks the secret)
    const res = await this.transport.request({
      method: e.method, url, body: { form: fields }, auth: { kind: 'app-keys', keys: keysPlace(e) ?? 'form' }, accept: e.headers.accept,
      secrets, throwOnError: false, signal,
    });
    if (res.status >= 400) {
      const err = errorFromBody(res.status, 'POST', path, await res.text(), undefined, (t) => this.transport.masker.mask(t));
      if (res.status === 401 && clientProblem(err.message)) {
        throw new AuthError('invalid-credentials', l10n.t('1upHealth did not accept the client_id and client_secret ({0}).', err.message), 401);
      }
      if (res.status === 400 || res.status === 401) throw new AuthError('token-rejected', l10n.t('The token endpoint refused the grant ({0}).', err.message), res.status);
      throw err;
    }
    const a = await res.json<TokenAnswer>();
    if (!a || typeof a.access_token !== 'string' || !a.access_token) {
      const problem = a && typeof (a as { error?: unknown }).error === 'string' ? (a as { error: string }).error : l10n.t('no access_token in the answer');
      throw new ApiError(res.status, 'POST', path, l10n.t('The token endpoint answered without a token: {0}', problem));
    }
    const expiresIn = Number(a.expires_in);
    const tokens: TokenSet = {
      accessToken: a.access_token,
      refreshToken: typeof a.refresh_token === 'string' ? a.refresh_token : '',
      tokenType: typeof a.token_type === 'string' ? a.token_type : 'Bearer',
      expiresAt: sentAt + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN) * 1000,
    };
    if (typeof a.scope === 'string') tokens.scope = a.scope;
    if (typeof a.id_token === 'string') tokens.idToken = a.id_token;
    this.mask(tokens);
    return tokens;
  }

  /** Adds a set's tokens to the log masker: one granted here, or one kept from an earlier session. */
  mask(tokens: TokenSet): void {
    for (const s of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) this.transport.masker.add(s);
  }
}

// OAuth answers a bad client with `invalid_client` (401) and a bad code or refresh token with
// `invalid_grant` (400); 1up's texts vary, so read the words when the status alone cannot tell.
function clientProblem(message: string): boolean {
  return /invalid[_ ]client|client[_ ]?(id|secret)|credential/i.test(message) && !/grant|refresh|code|expired/i.test(message);
}
