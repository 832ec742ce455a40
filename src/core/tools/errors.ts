import { isApiError, isAuthError, isCancellation, isInputError, isNetworkError } from '../errors';

/**
 * An error as a tool answers it to the language model: what failed and what to try, in plain
 * text. Never a stack; the caller masks it like every other answer.
 */
export function errorForModel(e: unknown, what: string): string {
  if (isCancellation(e)) return `Cancelled: ${what} was stopped before it finished. Nothing more was done.`;
  if (isInputError(e)) return `Error: ${what} was not possible with these arguments: ${message(e)} Fix the arguments and call the tool again.`;
  if (isAuthError(e)) {
    const hint = e.problem === 'missing-credentials'
      ? 'The user has to set the app credentials (“1upHealth: Set Credentials…”) or start the Local Sandbox (“1upHealth: Start Local Sandbox”); do not retry before that.'
      : e.problem === 'invalid-credentials'
        ? 'The user has to check the client_id and client_secret (“1upHealth: Set Credentials…”); do not retry before that.'
        : 'Check that the user exists and is active (oneup_listUsers); an inactive user cannot get tokens.';
    return `Error: ${what} failed: ${message(e)} ${hint}`;
  }
  if (isNetworkError(e)) return `Error: ${what} failed: the 1upHealth server could not be reached. ${message(e)} ${e.hint} Try again later, or ask the user to check the environment's URLs and their network.`;
  if (isApiError(e)) {
    const issues = e.issues.map((i) => i.text).filter((t) => t && !e.message.includes(t));
    const said = [e.message, ...issues].join(' ').trim();
    return `Error: ${what} failed: ${e.method} ${e.path} answered HTTP ${e.status}${said ? `: ${said}` : ''}. ${apiHint(e.status, e.retryAfterSeconds)}`;
  }
  // only the first line: some errors (a failed require, say) append a stack of file paths
  return `Error: ${what} failed unexpectedly: ${message(e, true)} The extension's log (“1upHealth: Show Log”) has the details.`;
}

function apiHint(status: number, retryAfter: number | undefined): string {
  if (status === 400 || status === 422) return 'The server refused the request as sent: check the resource type, the search parameter names and value formats, and call again.';
  if (status === 401) return 'The credentials or the user\'s token were refused: the user may need to set the credentials again.';
  if (status === 403) return 'This app or user may not see that data (permissions); try as another user, or as the app without a user.';
  if (status === 404) return 'Nothing is there: check the resource type and id (search for it first), or the user.';
  if (status === 410) return 'It was deleted; search again for what exists now.';
  if (status === 413) return 'The answer or the request was too large: ask for less (a smaller count, fewer types).';
  if (status === 429) return `1upHealth is limiting the rate of calls; wait${retryAfter ? ` ${retryAfter} s` : ' a while'} before trying again (user management allows 300 calls an hour).`;
  if (status >= 500) return 'The server had a problem; try again in a moment, with a smaller request if it keeps failing.';
  return 'Check the arguments and try again.';
}

function message(e: unknown, firstLine = false): string {
  const text = e instanceof Error ? e.message : String(e);
  const t = (firstLine ? text.split('\n')[0] : text).trim();
  return t && !/[.!?:)]$/.test(t) ? `${t}.` : t;
}
