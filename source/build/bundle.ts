import {chmod, rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outdir = `${root}dist`;

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
	legalComments: 'linked',
	// Native addons cannot be bundled (style.md §7).
	external: ['node-ssh', 'ssh2', 'cpu-features'],
	alias: {'react-devtools-core': './source/build/react-devtools-stub.ts'},
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
