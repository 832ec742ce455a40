// Configuration for @vscode/test-cli (`npx vscode-test`) on a machine that can download VS Code.
// `npm test` uses scripts/integration.mjs instead, which runs the same suite through
// @vscode/test-electron and falls back to the offline VS Code in ../shared/vscode-real.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  version: 'stable',
  ...(process.env.VSCODE_EXECUTABLE_PATH ? { useInstallation: { fromPath: process.env.VSCODE_EXECUTABLE_PATH } } : {}),
  mocha: { ui: 'bdd', timeout: 60000 },
});
