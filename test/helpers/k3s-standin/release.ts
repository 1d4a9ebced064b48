import {createHash} from 'node:crypto';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {chmod, copyFile, mkdir} from 'node:fs/promises';
import {goBinary} from '../cluster/binary.js';
import type {Guest} from '../guest/index.js';

const here = dirname(fileURLToPath(import.meta.url));

export const sha256 = (bytes: string | Uint8Array) =>
	createHash('sha256').update(bytes).digest('hex');

/** A local stand-in k3s release: what an operator gives the air-gap inputs. */
export type StandInRelease = {
	directory: string;
	binary: string;
	images: string;
	installScript: string;
	checksums: string;
	installScriptSha256: string;
};

/**
 * Makes a release directory for `version`: the stand-in binary (a script that runs the test
 * cluster), an images tarball, the stand-in install script and the release's checksum file.
 */
export function standInRelease(version: string): StandInRelease {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-k3s-release-'));
	const binary = readFileSync(join(here, 'k3s.sh'), 'utf8').replace(
		"version='VERSION'",
		`version='${version}'`,
	);
	const script = readFileSync(join(here, 'install.sh'));
	const images = `stand-in images for ${version}\n`;
	const files = {
		k3s: binary,
		'k3s-airgap-images-amd64.tar.zst': images,
		'install.sh': script,
	};
	for (const [name, content] of Object.entries(files)) {
		writeFileSync(join(directory, name), content, {mode: 0o755});
	}

	writeFileSync(
		join(directory, 'sha256sum-amd64.txt'),
		`${sha256(binary)}  k3s\n${sha256(images)}  k3s-airgap-images-amd64.tar.zst\n`,
	);
	return {
		directory,
		binary: join(directory, 'k3s'),
		images: join(directory, 'k3s-airgap-images-amd64.tar.zst'),
		installScript: join(directory, 'install.sh'),
		checksums: join(directory, 'sha256sum-amd64.txt'),
		installScriptSha256: sha256(script),
	};
}

/** The air-gap inputs pointing at a release. */
export const airGapInputs = (release: StandInRelease) => ({
	k3sBinary: release.binary,
	k3sImages: release.images,
	k3sInstallScript: release.installScript,
	k3sChecksums: release.checksums,
	k3sInstallScriptSha256: release.installScriptSha256,
});

/** The same inputs as CODEXK8S_* variables, for the built command. */
export const airGapEnvironment = (
	release: StandInRelease,
): Record<string, string> => ({
	CODEXK8S_K3S_BINARY: release.binary,
	CODEXK8S_K3S_IMAGES: release.images,
	CODEXK8S_K3S_INSTALL_SCRIPT: release.installScript,
	CODEXK8S_K3S_CHECKSUMS: release.checksums,
	CODEXK8S_K3S_INSTALL_SCRIPT_SHA256: release.installScriptSha256,
});

/**
 * Puts the test cluster (kcluster) where the stand-in `k3s` runs it from: test equipment on the
 * guest, not something the installer sends.
 */
export async function placeTestCluster(
	guest: Pick<Guest, 'rootDir'>,
): Promise<void> {
	const kcluster = await goBinary('kcluster');
	const place = join(guest.rootDir, 'usr/local/lib/kcluster');
	await mkdir(place, {recursive: true});
	await copyFile(kcluster, join(place, 'kcluster'));
	await chmod(join(place, 'kcluster'), 0o755);
}
