// Bundled on its own (dist/lazy/sandbox.js): loaded only when a sandbox is started.
export { startSandbox } from '../core/sandbox';
