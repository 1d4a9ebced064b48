import {readFile} from 'node:fs/promises';
import {basename} from 'node:path';
import type {Input} from '../../source/config/schema.js';
import {sha256OfFile} from '../../source/local/sha256.js';

/** The operator's local k3s release files, for an install that downloads nothing on the host. */
export type AirGap = {
	binary: string;
	installScript: string;
	checksums: string;
	images?: string;
};

/** The air-gap inputs that go together; one without the others is refused by the k3s step. */
export function missingAirGapInputs(input: Input): string[] {
	const given = {
		'--k3s-binary': input.cluster.k3sBinary,
		'--k3s-install-script': input.cluster.k3sInstallScript,
		'--k3s-checksums': input.cluster.k3sChecksums,
	};
	const missing = Object.entries(given)
		.filter(([, value]) => value === undefined)
		.map(([flag]) => flag);
	const images = input.cluster.k3sImages === undefined ? 0 : 1;
	return missing.length === 3 && images === 0 ? [] : missing;
}

export function airGapOf(input: Input): AirGap | undefined {
	const {k3sBinary, k3sInstallScript, k3sChecksums, k3sImages} = input.cluster;
	if (!k3sBinary || !k3sInstallScript || !k3sChecksums) {
		return undefined;
	}

	return {
		binary: k3sBinary,
		installScript: k3sInstallScript,
		checksums: k3sChecksums,
		images: k3sImages,
	};
}

/** The binary's name in a k3s release for `uname -m`, as k3s's install script names it. */
export function releaseBinaryName(machine: string): string | undefined {
	if (machine === 'x86_64' || machine === 'amd64') {
		return 'k3s';
	}

	if (machine === 'aarch64' || machine === 'arm64') {
		return 'k3s-arm64';
	}

	if (machine.startsWith('arm')) {
		return 'k3s-armhf';
	}

	return undefined;
}

/** `sha256sum` output (`<64 hex>  <name>`, `*name` in binary mode) as name → sum. */
export function parseChecksums(text: string): Map<string, string> {
	const sums = new Map<string, string>();
	for (const line of text.split('\n')) {
		const match = /^([\da-f]{64}) [ *](.+)$/i.exec(line.trim());
		if (match) {
			sums.set(basename(match[2]!.trim()), match[1]!.toLowerCase());
		}
	}

	return sums;
}

/** A file to send to the host with the SHA-256 it must have there. */
export type Verified = {local: string; name: string; sha256: string};

export type AirGapFiles = {
	binary: Verified;
	installScript: Verified;
	images?: Verified;
};

/** Images tarballs are named by the release (k3s-airgap-images-amd64.tar.zst): kept as they are. */
const imageName = /^[\w.\-]+\.tar(?:\.zst|\.gz)?$/v;

/**
 * Checks the operator's files on this computer before anything is sent: the binary and images
 * against the release's checksum file (as k3s's own script checks a download), the install script
 * against the pinned sum or the one given. The host checks them again once they arrive.
 */
export async function verifyAirGap(
	airGap: AirGap,
	machine: string,
	scriptSha256: string | undefined,
): Promise<{files: AirGapFiles} | {problem: string; hint: string}> {
	const binaryName = releaseBinaryName(machine);
	if (!binaryName) {
		return {
			problem: `k3s has no release binary for this host's architecture (${machine})`,
			hint: 'k3s ships for x86_64, aarch64 and armhf.',
		};
	}

	let sums: Map<string, string>;
	try {
		sums = parseChecksums(await readFile(airGap.checksums, 'utf8'));
	} catch (error) {
		return {
			problem: `the k3s checksum file ${airGap.checksums} cannot be read`,
			hint: String(error),
		};
	}

	const wanted: Array<[keyof AirGapFiles, string, string, string | undefined]> =
		[
			['binary', airGap.binary, binaryName, sums.get(binaryName)],
			['installScript', airGap.installScript, 'install.sh', scriptSha256],
		];
	if (airGap.images) {
		const name = basename(airGap.images);
		if (!imageName.test(name)) {
			return {
				problem: `the images tarball's name ${JSON.stringify(name)} is not a release tarball's`,
				hint: 'Give the file as the release names it, like k3s-airgap-images-amd64.tar.zst.',
			};
		}

		wanted.push(['images', airGap.images, name, sums.get(name)]);
	}

	const files: Partial<AirGapFiles> = {};
	for (const [key, local, name, expected] of wanted) {
		if (!expected) {
			return {
				problem:
					key === 'installScript'
						? 'the install script has no SHA-256 to be checked against'
						: `${airGap.checksums} lists no ${name}`,
				hint:
					key === 'installScript'
						? 'Give the sum you checked (CODEXK8S_K3S_INSTALL_SCRIPT_SHA256), see docs/cluster.md.'
						: `Use the release's sha256sum file for this host's architecture (${machine}).`,
			};
		}

		let actual: string;
		try {
			// eslint-disable-next-line no-await-in-loop -- one file after another: they may be large
			actual = await sha256OfFile(local);
		} catch (error) {
			return {problem: `${local} cannot be read`, hint: String(error)};
		}

		if (actual !== expected) {
			return {
				problem: `${local} does not match its SHA-256 (${actual}, expected ${expected}): refused, nothing was sent or installed`,
				hint: 'Download the file again from the pinned k3s release and check it with its sha256sum file.',
			};
		}

		files[key] = {local, name, sha256: expected};
	}

	return {files: files as AirGapFiles};
}
