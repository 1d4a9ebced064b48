import {execFile, spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const buildScript = path.resolve(
	fileURLToPath(import.meta.url),
	'../../../cluster/build.sh',
);

/**
 * Why tests of Go-built tools skip here, or undefined when they run: always under `CI=true`,
 * where a missing toolchain must fail them loudly; elsewhere only when Go is installed.
 */
export function goSkipReason(): string | undefined {
	if (process.env['CI'] === 'true') {
		return undefined;
	}

	const result = spawnSync('go', ['version'], {encoding: 'utf8'});
	return result.status === 0
		? undefined
		: 'Go is not installed (the test cluster and actionlint are built from Go modules)';
}

const built = new Map<string, Promise<string>>();

/**
 * The path of a binary test/cluster/build.sh makes from pinned Go modules: `kcluster` (the test
 * cluster) or `actionlint`. `.ci/run` builds both first; here it is a check that they are current
 * (a cold build takes minutes: see docs/how-it-works.md).
 */
export async function goBinary(
	name: 'kcluster' | 'actionlint',
): Promise<string> {
	let binary = built.get(name);
	if (!binary) {
		binary = promisify(execFile)('bash', [buildScript, name], {
			maxBuffer: 16 * 1024 * 1024,
		}).then(({stdout}) => stdout.trim());
		built.set(name, binary);
	}

	return binary;
}
