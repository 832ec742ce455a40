// Bundled on its own (dist/lazy/sandbox.js): loaded only when a sandbox is started, by the
// extension or by `npm run sandbox` (scripts/sandbox.mjs calls main).
export { startSandbox } from '../core/sandbox';
export { main } from '../core/sandbox/cli';
