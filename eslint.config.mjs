// Lint TypeScript only (typescript-eslint's project service errors on .js files tsconfig does not include).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'esbuild.js', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
      'no-throw-literal': 'error',
    },
  },
  {
    // The core must stay vscode-free: it runs in plain mocha, in the sandbox CLI and could back a CLI.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core must not import vscode: reach the host through an interface.' }],
        patterns: [{ group: ['**/host/**', '**/commands/**', '**/tree/**', '**/webviews/**', '**/extension'], message: 'core is the bottom layer: arrows only point down.' }],
      }],
    },
  },
  {
    files: ['src/host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/commands/**', '**/tree/**', '**/webviews/**', '**/extension'], message: 'host sits below the UI layers.' }],
      }],
    },
  },
  {
    // The views sit beside the commands, not above them: what both need lives in host/ or core/.
    files: ['src/tree/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/commands/**', '**/webviews/**', '**/extension'], message: 'a view must not import a command or a webview: move what both need to host/ or core/.' }],
      }],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/tree/**', '**/extension'], message: 'a command must not import a view: move what both need to host/ or core/ (views are passed in by extension.ts).' }],
      }],
    },
  },
);
