// Bundles the compiled library and CLI (lib/) into a few files in lib/bundle/. Node loads the unbundled code's
// ~300 small ES modules one by one, which took 0.37 s of every run; the bundle loads in about 0.1 s.
// The PDF and watch code stay in chunks of their own, loaded only when used, and the entries load the build itself
// only once `build` is called (`src/entry.ts`), after it has started citeproc's worker. The citeproc worker is an entry of its
// own: `CiteprocThread` starts it by its file name, next to the chunk that names it. The PDF's layout passes
// (`src/pdf/layout/`) run in the page: they are bundled into one browser script of their own, `page-layout.js`.
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/**
 * The dependencies in the bundle that walk trees with unist-util-visit get Galley's walker (`src/tree-visit.ts`)
 * instead: mdast-util-to-hast walks the whole book once with it before converting (15 ms of a 550 ms rebuild, most
 * of it the walker's own cost). Each of them calls `visit(tree, visitor)`, which the two walkers do alike
 * (`tests/tree-visit.test.ts`); any other importer stops the bundle, to be looked at first.
 */
const walkers = ['mdast-util-to-hast/lib/state.js', 'mdast-util-gfm-table/lib/index.js', 'mdast-util-to-markdown/lib/util/format-heading-as-setext.js']
const galleyWalker = {
  name: 'galley-tree-visit',
  setup(bundle) {
    bundle.onResolve({ filter: /^unist-util-visit$/ }, ({ importer }) => {
      if (!walkers.some((file) => importer.endsWith(path.join('node_modules', file)))) {
        throw new Error(`${importer} imports unist-util-visit: check its calls against lib/tree-visit.js, then list it in scripts/bundle.mjs`)
      }
      return { path: fileURLToPath(new URL('../lib/tree-visit.js', import.meta.url)) }
    })
  },
}

const outdir = 'lib/bundle'
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: { galley: 'lib/cli/main.js', index: 'lib/index.js', 'citeproc-worker': 'lib/citations/citeproc-worker.js', 'page-text-worker': 'lib/pdf/page-text-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // esbuild bundles the layout script only when it runs from the sources (`src/pdf/layout-script.ts`).
  // Loaded with createRequire at run time (citeproc, temml), by file (starry-night's engine and each grammar it needs),
  // only by the PDF chunk, or reading a wasm file beside them (subset-font, for the EPUB's fonts): their files stay in
  // node_modules.
  external: ['esbuild', 'citeproc', 'puppeteer-core', 'pdf-lib', 'pdfjs-dist', 'temml', 'subset-font', '@wooorm/starry-night'],
  // The CommonJS packages in the bundle (citation-js) call require for Node's own modules.
  banner: { js: "import { createRequire as __galleyCreateRequire } from 'node:module'; const require = __galleyCreateRequire(import.meta.url);" },
  plugins: [galleyWalker],
  logLevel: 'warning',
})

// The same bundling that runs from the sources, so both give the page the same script.
const { bundleLayout, layoutScriptFile } = await import('../lib/pdf/layout-script.js')
writeFileSync(path.join(outdir, layoutScriptFile), await bundleLayout())
