/** An answer from the API that was not a success. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly method: string,
    /** Path without query (query values may be secret). */
    readonly path: string,
    message: string,
    /** OperationOutcome issues when the server sent one. */
    readonly issues: readonly { severity?: string; code?: string; text: string }[] = [],
    /** Seconds the server asked us to wait (429/503), when it said so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type AuthProblem = 'missing-credentials' | 'invalid-credentials' | 'token-rejected' | 'no-user';

/** Credentials are missing or were refused; the UI offers "Set Credentials". */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(readonly problem: AuthProblem, message: string, readonly status?: number) {
    super(message);
  }
}

/** The request never got an HTTP answer; `hint` names what to check (host, proxy, timeout setting). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(readonly code: string, message: string, readonly hint: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The user (or a caller) cancelled; the UI says nothing. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** Input the user gave that cannot be sent (bad JSON, wrong resourceType, unknown type). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export function isCancellation(e: unknown): boolean {
  if (e instanceof CancelledError) return true;
  const err = e as { name?: string; code?: string } | undefined;
  return err?.name === 'AbortError' || err?.code === 'ABORT_ERR' || err?.code === 'UND_ERR_ABORTED';
}

/** Throws a CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

// Lazily loaded bundles carry their own copies of these classes, so `instanceof` cannot be
// trusted across bundles: the UI classifies errors by name.
export function isApiError(e: unknown): e is ApiError {
  return (e as Error | undefined)?.name === 'ApiError';
}
export function isAuthError(e: unknown): e is AuthError {
  return (e as Error | undefined)?.name === 'AuthError';
}
export function isNetworkError(e: unknown): e is NetworkError {
  return (e as Error | undefined)?.name === 'NetworkError';
}
export function isInputError(e: unknown): e is InputError {
  return (e as Error | undefined)?.name === 'InputError';
}
