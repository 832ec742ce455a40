import * as l10n from '@vscode/l10n';
import type { TransportResponse } from '../api';
import { ApiError } from '../errors';
import { originOf, pathOf, type RunContext } from './context';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs an export file, following redirects by hand so that each hop decides afresh whether
 * credentials go along: only when the manifest requires a token and the hop is on the export
 * server's own origin. A redirect to storage elsewhere (signed URLs) gets no Authorization.
 * The transport does not retry it (`retry: false`): the engine resumes files itself, with Range.
 */
export async function getFile(ctx: RunContext, url: string, requiresAccessToken: boolean, headers: Record<string, string>): Promise<TransportResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const withToken = requiresAccessToken && originOf(current) === ctx.exportOrigin;
    const res = await ctx.transport.request({
      method: 'GET', url: current, headers, accept: 'application/fhir+ndjson',
      auth: withToken ? ctx.auth : { kind: 'none' }, signal: ctx.signal, throwOnError: false, retry: false,
    });
    const location = res.header('location');
    if (!REDIRECTS.has(res.status) || !location) return res;
    await res.dump();
    if (hop >= MAX_REDIRECTS) throw new ApiError(res.status, 'GET', pathOf(url), l10n.t('The file URL redirected more than {0} times.', MAX_REDIRECTS));
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new ApiError(res.status, 'GET', pathOf(url), l10n.t({ message: 'The file URL redirected to a {0} URL; it was not followed.', args: [next.protocol], comment: ['{0}: a URL scheme such as ftp:'] }));
    }
    // https → http would expose the download (and any token) on the wire
    if (new URL(current).protocol === 'https:' && next.protocol === 'http:') {
      throw new ApiError(res.status, 'GET', pathOf(url), l10n.t('The file URL redirected from https to plain http; it was not followed.'));
    }
    current = next.href;
  }
}
