import { runSuite } from '../../integration/mochaRunner';

// Activation benchmark entry, run inside the real VS Code by scripts/bench.mjs.
export function run(): Promise<void> {
  return runSuite(__dirname);
}
