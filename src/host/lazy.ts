import * as path from 'node:path';

/**
 * Loads one of the bundles esbuild builds from src/lazy/ (dist/lazy/*.js). Heavy parts (the HTTP
 * client, the sandbox, renderers, the export engine, telemetry, the language-model tools' work)
 * live there so that activation does not pay for them; each is loaded on first use and then
 * cached by Node.
 */
export function loadLazy<T>(name: 'api' | 'sandbox' | 'render' | 'telemetry' | 'tools' | 'explore'): T {
  // from the extension bundle (dist/) or from another lazy bundle (dist/lazy/, e.g. the tools)
  const dir = path.basename(__dirname) === 'lazy' ? __dirname : path.join(__dirname, 'lazy');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(dir, `${name}.js`)) as T;
}
