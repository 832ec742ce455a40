import { runSuite } from './mochaRunner';

// Entry that @vscode/test-electron (and the offline route) load in the extension host.
export function run(): Promise<void> {
  return runSuite(__dirname);
}
