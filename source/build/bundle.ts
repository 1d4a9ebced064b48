import {chmod, rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';
import {build, type Plugin} from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outdir = `${root}dist`;

/*
 * Zod re-exports every locale as a namespace, which defeats tree shaking: ~300 kB of messages we
 * never show (our own messages are in source/config/issues.ts). Only English is kept.
 */
// A plain RegExp: esbuild matches it with Go's engine, which has no `v` flag.
// eslint-disable-next-line prefer-regex-literals -- see above
const localesIndex = new RegExp(String.raw`^\.\./locales/index\.js$`);

const zodEnglishOnly: Plugin = {
	name: 'zod-english-only',
	setup(builder) {
		builder.onResolve({filter: localesIndex}, ({importer}) =>
			importer.includes('/node_modules/zod/')
				? {path: join(dirname(importer), '../locales/en.js')}
				: undefined,
		);
	},
};

await rm(outdir, {recursive: true, force: true});
await build({
	absWorkingDir: root,
	entryPoints: {main: 'source/main.ts'},
	outdir,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20.19',
	minify: true,
	// Heavy modules (Ink, listr2, conf) go to chunks loaded only by the commands that need them,
	// so `--help` and an offline `plan` compile a fraction of the code.
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	legalComments: 'linked',
	// Native addons cannot be bundled (docs/contributing.md, House rules).
	external: ['node-ssh', 'ssh2', 'cpu-features'],
	alias: {'react-devtools-core': './source/build/react-devtools-stub.ts'},
	plugins: [zodEnglishOnly],
	banner: {
		js: "import {createRequire as __createRequire} from 'node:module';const require=__createRequire(import.meta.url);",
	},
	define: {'process.env.NODE_ENV': '"production"'},
	logLevel: 'warning',
});
await build({
	absWorkingDir: root,
	entryPoints: {bin: 'source/bin.ts'},
	outdir,
	platform: 'node',
	format: 'esm',
	target: 'node14',
	banner: {js: '#!/usr/bin/env node'},
	logLevel: 'warning',
});
await chmod(`${outdir}/bin.js`, 0o755);
