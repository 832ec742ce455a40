import * as path from 'node:path';
import { runSuite } from '../integration/mochaRunner';

// Entry for the VSIX check: VS Code loads this with the packaged extension installed normally.
export function run(): Promise<void> {
  return runSuite(path.join(__dirname, 'suite'));
}
