// Kept tiny and free of modern syntax so an old Node.js gets a clear message instead of a crash.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
	process.stderr.write(
		`codex-k8s-install needs Node.js 20.19 or newer; this is ${process.versions.node}.\n` +
			'Install a current Node.js LTS and run it again.\n',
	);
	process.exit(1);
}

// https://no-color.org: colour libraries here read only FORCE_COLOR, so NO_COLOR is turned into it
// before any of them loads; an explicit FORCE_COLOR still wins.
if (process.env['NO_COLOR'] && process.env['FORCE_COLOR'] === undefined) {
	process.env['FORCE_COLOR'] = '0';
}

// A promise chain, not top-level await: the shim must parse on old Node.js to print the message.
void import('node:module')
	.then(nodeModule => {
		// Node 22.1+ caches compiled code between runs; on Node 20 it is simply absent.
		(nodeModule as {enableCompileCache?: () => void}).enableCompileCache?.();
	})
	.then(async () => import('./main.js')); // eslint-disable-line unicorn/prefer-top-level-await
