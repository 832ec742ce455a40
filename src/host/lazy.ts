import * as path from 'node:path';

/**
 * Loads one of the bundles esbuild builds from src/lazy/ (dist/lazy/*.js). Heavy parts (the HTTP
 * client, the sandbox, renderers, the export engine, telemetry) live there so that activation
 * does not pay for them; each is loaded on first use and then cached by Node.
 */
export function loadLazy<T>(name: 'api' | 'sandbox' | 'render' | 'telemetry' | 'explore'): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, 'lazy', `${name}.js`)) as T;
}
