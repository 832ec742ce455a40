// `npm run l10n`: regenerates l10n/bundle.l10n.json from every `vscode.l10n.t` / `@vscode/l10n` `l10n.t`
// call under src/ (the strings translators work from), with @vscode/l10n-dev. A unit test fails when
// the committed bundle and the code disagree.
import path from 'node:path';
import { bin, root, run } from './lib.mjs';

const r = await run(bin('vscode-l10n-dev'), ['export', '--outDir', path.join(root, 'l10n'), path.join(root, 'src')]);
process.exit(r.code);
