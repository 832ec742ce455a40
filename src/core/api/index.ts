/**
 * The 1upHealth API client: the only code that speaks HTTP to 1upHealth. vscode-free; the host
 * passes settings, SecretStorage-backed stores and its log channel in.
 *
 * Start with `createOneUpClient`. Code that needs raw HTTP with the same behaviour (the bulk
 * export engine) uses its `transport`:
 * - `transport.request(req)` answers after the headers; read `res.json()`, `res.text()` or stream
 *   `res.body`, or `res.dump()` it. A download pipes `res.body` (with `pipeline`, so a slow
 *   disk pauses the socket) into its file. `requestJson`/`requestText` read the body inside
 *   the retry loop.
 * - retries: GET/HEAD/PUT/DELETE on network errors, 429, 502, 503, 504, up to `maxTries`, with
 *   backoff and jitter; Retry-After honoured and clamped. POST and streamed bodies: never.
 * - auth: `{kind:'bearer', source: tokenManager}` (renewed once on 401), `{kind:'app', oneupUserId}`
 *   (app headers + `x-oneup-user-id`, `client` = all users), `{kind:'app-keys', keys: 'form'|'query'}`
 *   (the app keys as parameters); `keys` on `bearer`/`app` adds them to a user's call (grant).
 * - `ENDPOINTS` (endpoints.ts) is the table of every endpoint as 1up's reference documents it
 *   (method, path, parameter placement, auth, source line); the modules take their calls from it.
 *   Credentials only go to `transport.ownOrigins`; check foreign URLs with `isOwnOrigin` /
 *   `assertOwnOrigin`, resolve relative ones with `resolve(url, base)`.
 * - `throwOnError: false` hands 4xx/5xx answers back (e.g. to read a 202/404 of a status URL);
 *   otherwise they throw `ApiError` / `AuthError`; network failures throw `NetworkError` with a
 *   hint, aborts `CancelledError`.
 * - every request logs one masked line and becomes `lastCall` (with its curl rendering).
 * - a streamed `res.body` that fails mid-way throws undici's error: map it with `toNetworkError`.
 * - network: every request asks the `network` policy for its proxy (in VS Code: VS Code's own
 *   resolution, PAC included) and trusts Node's roots plus the policy's (OS) certificates;
 *   `getPublic(url)` fetches a public file (a logo) the same way, without credentials.
 * - size: `json()`/`text()` read at most `maxResponseBytes` (64 MiB); past it, NetworkError
 *   RESPONSE_TOO_LARGE names the URL and the setting. Error bodies are read to 256 KiB.
 * - `fhirBase(version)`, `bulkBase(version)`, `apiUrl(path)` build the environment's URLs;
 *   `parseRetryAfter` reads a Retry-After header the same way the transport does.
 */
export { createOneUpClient, type OneUpClient, type OneUpClientOptions } from './client';
export { Transport, type TransportOptions, type TransportRequest, type RequestBody, type HttpMethod, type LastCall, type Clock } from './transport';
export type { TransportResponse } from './response';
export { asApp, asUser, type ActingAs, type AppCredentials, type BearerSource, type CredentialsProvider, type RequestAuth } from './auth';
export { ENDPOINTS, endpoint, type Endpoint, type EndpointId } from './endpoints';
export { UsersApi, type AppUser, type UserFilter, type AuthCode, type CreateUserOptions, type CreateUserResult, type UserRef } from './users';
export { TokensApi, type TokenSet } from './tokens';
export { MemoryTokenStore, TokenManager, tokenKey, type TokenState, type TokenStore } from './tokenManager';
export { FhirClient, type PageOptions, type PermissionResult } from './fhir';
export { ConnectApi, summarize as summarizeProvider, type ConnectPageOptions, type HealthSystem, type ProviderSummary } from './connect';
export { RateBudget, USER_MANAGEMENT_CALLS_PER_HOUR, type BudgetState } from './budget';
export { CURL_PLACEHOLDERS, shellQuote, toCurl, type CurlSecret } from './curl';
export { parseRetryAfter, retryAfterMs, MAX_RETRY_AFTER_SECONDS } from './retry';
export { toNetworkError } from './netErrors';
export { encodeQueryPart, type QueryInput, type QueryValue } from './url';
export type { Subscription, Listen } from './events';
export type { Timeouts } from './dispatcher';
export { type NetworkPolicy, type ProxySettings, settingsNetwork, resolveBySettings, proxyUrlFromSetting, displayProxy } from './network';
export { DEFAULT_MAX_RESPONSE_BYTES } from './response';
export type { PublicFile } from './transport';
