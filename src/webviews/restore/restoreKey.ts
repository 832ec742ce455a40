/**
 * The key under which a webview keeps, in its saved state, what the host put in the page to bring
 * the panel back after a reload (shared by the webview's host.ts and the panel serializers).
 */
export const RESTORE_KEY = 'oneupRestore';
