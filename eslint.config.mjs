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
);
