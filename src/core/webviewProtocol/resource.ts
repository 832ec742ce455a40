import { COMMON_UPDATES, CommonUpdate, DETAIL_REQUESTS, DetailRequest } from './common';
import { parseMessage } from './validate';

/** host → resource panel */
export type ResourceUpdate = CommonUpdate;

/** resource panel → host */
export type ResourceRequest = { type: 'ready' } | DetailRequest;

const REQUESTS = { ready: {}, ...DETAIL_REQUESTS } as const;

export function parseResourceUpdate(raw: unknown): ResourceUpdate | undefined {
  return parseMessage<ResourceUpdate>(COMMON_UPDATES, raw);
}

export function parseResourceRequest(raw: unknown): ResourceRequest | undefined {
  return parseMessage<ResourceRequest>(REQUESTS, raw);
}
