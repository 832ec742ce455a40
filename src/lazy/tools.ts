// Bundled on its own (dist/lazy/tools.js): what the language-model tools do loads on the first
// tool call, never during activation.
export { runTool } from '../tools/impl';
