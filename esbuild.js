// Builds the extension (Node, CommonJS, `vscode` external) and one browser bundle per webview
// script, in the style of `yo code`: --production minifies, --watch rebuilds on change.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the form the `$esbuild-watch` problem matcher reads. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

// jsPDF (the sandbox's PDF attachments) loads these only for HTML and SVG rendering, which the
// sandbox never asks for, inside try/catch: leave them out of the bundle.
const JSPDF_UNUSED = ['html2canvas', 'canvg', 'dompurify', 'core-js'];

/**
 * One @vscode/l10n instance per JavaScript realm. Each bundle (the extension, every lazy bundle, each
 * webview script) would otherwise carry its own copy, and the bundle of translations the host
 * configures in one copy would not reach the others: the first copy loaded is kept on globalThis and
 * every later bundle uses it.
 */
const sharedL10nPlugin = {
  name: 'shared-l10n',
  setup(build) {
    const browser = build.initialOptions.platform === 'browser';
    const real = require.resolve(`@vscode/l10n/dist/${browser ? 'browser' : 'main'}.js`);
    build.onResolve({ filter: /^@vscode\/l10n$/ }, () => ({ path: 'shared', namespace: 'oneup-l10n' }));
    build.onLoad({ filter: /.*/, namespace: 'oneup-l10n' }, () => ({
      contents: `const key = Symbol.for('oneup-health.l10n');\nmodule.exports = globalThis[key] || (globalThis[key] = require(${JSON.stringify(real)}));\n`,
      loader: 'js',
      resolveDir: path.dirname(real),
    }));
  },
};

const clientDir = path.join(__dirname, 'src', 'webviews', 'client');
const webviewEntries = fs.existsSync(clientDir)
  ? fs.readdirSync(clientDir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).map((f) => path.join(clientDir, f))
  : [];

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin, sharedL10nPlugin],
  define: {
    // Build-time constant: empty means telemetry is never sent (see src/host/telemetry.ts).
    'process.env.ONEUP_TELEMETRY_CONNECTION_STRING': JSON.stringify(process.env.ONEUP_TELEMETRY_CONNECTION_STRING ?? ''),
  },
};

async function main() {
  const contexts = [
    await esbuild.context({
      ...common,
      entryPoints: { extension: 'src/extension.ts' },
      format: 'cjs',
      platform: 'node',
      target: 'node22',
      outdir: 'dist',
      // chunks are not supported for cjs; heavy parts are split out as separate entries below
      external: ['vscode'],
    }),
  ];
  // Lazily loaded parts of the extension (sandbox, export engine, renderers) get their own
  // bundles so activation does not pay for them.
  const lazyDir = path.join(__dirname, 'src', 'lazy');
  if (fs.existsSync(lazyDir)) {
    // The telemetry client is shipped only in builds that have somewhere to send events.
    const lazy = fs.readdirSync(lazyDir).filter((f) => f.endsWith('.ts'))
      .filter((f) => f !== 'telemetry.ts' || !!process.env.ONEUP_TELEMETRY_CONNECTION_STRING);
    if (lazy.length) {
      contexts.push(await esbuild.context({
        ...common,
        entryPoints: lazy.map((f) => path.join(lazyDir, f)),
        format: 'cjs', platform: 'node', target: 'node22', outdir: 'dist/lazy', external: ['vscode', ...JSPDF_UNUSED],
      }));
    }
  }
  if (webviewEntries.length) {
    contexts.push(await esbuild.context({
      ...common,
      entryPoints: webviewEntries,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outdir: 'dist/webview',
    }));
  }
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
    if (results.some((r) => r.errors.length)) process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
