// The webview's side of the channel to the extension host.
import { RESTORE_KEY } from '../../restore/restoreKey';
import { pageData } from './boot';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host<Request, State> {
  post(message: Request): void;
  /** the state saved before the panel was hidden (VS Code keeps it while the panel exists, and across reloads) */
  state(): Partial<State>;
  saveState(state: State): void;
}

export function connectHost<Request, State extends object>(): Host<Request, State> {
  const api = acquireVsCodeApi();
  const restore = pageData.restore;
  const current = (): Record<string, unknown> => {
    const s = api.getState();
    return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
  };
  const save = (state: object) => api.setState(restore === undefined ? state : { ...state, [RESTORE_KEY]: restore });
  // saved at once: a panel the user never touched comes back after a reload too
  if (restore !== undefined) save(current());
  return {
    post: (message) => api.postMessage(message),
    state: () => current() as Partial<State>,
    saveState: save,
  };
}

/**
 * Listens for the host's messages: only those from the webview's own origin (a framed page, such
 * as the Connect page, can post to this window too, from its own origin), and only those the
 * protocol's parser accepts. The sender window cannot be checked: VS Code's webview frame sets
 * `window.parent = window` in the page, so host messages never come "from the parent".
 */
export function onHostMessage<Update>(parse: (raw: unknown) => Update | undefined, handle: (update: Update) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== window.location.origin) return;
    const update = parse(event.data);
    if (!update) {
      console.warn('1upHealth: ignored a message the webview protocol does not allow');
      return;
    }
    handle(update);
  });
}
