import {existsSync, readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

let assetsDirectory: string | undefined;

/**
 * `assets/` of the package (scripts, workflows, labels, manifests): searched upward from this
 * module, because it runs from source/ in development and from dist/ or dist/chunks/ when bundled.
 */
export function findAssetsDirectory(
	from = dirname(fileURLToPath(import.meta.url)),
): string {
	let directory = from;
	for (;;) {
		const candidate = join(directory, 'assets');
		if (existsSync(join(candidate, 'scripts'))) {
			return candidate;
		}

		const parent = dirname(directory);
		if (parent === directory) {
			throw new Error(`no assets/scripts folder above ${from}`);
		}

		directory = parent;
	}
}

/** `assets/scripts/` of the package, where every script a step runs on a remote machine lives. */
export const findScriptsDirectory = (from?: string): string =>
	join(findAssetsDirectory(from), 'scripts');

const assetName = /^[\w.-]+(?:\/[\w.-]+)*$/;

function assetPath(
	name: string,
	directory: string,
	kind: 'asset' | 'script',
): string {
	if (!assetName.test(name) || name.split('/').includes('..')) {
		throw new Error(`invalid ${kind} name "${name}"`);
	}

	return resolve(directory, name);
}

/** The text of `assets/<name>`, such as `labels.json` or `workflows/ai_staging_deploy.yml`. */
export function readAsset(name: string): string {
	assetsDirectory ??= findAssetsDirectory();
	return readFileSync(assetPath(name, assetsDirectory, 'asset'), 'utf8');
}

/** The text of `assets/scripts/<name>` (or of `<directory>/<name>`). */
export async function readScript(
	name: string,
	directory?: string,
): Promise<string> {
	assetsDirectory ??= findAssetsDirectory();
	return readFile(
		assetPath(name, directory ?? join(assetsDirectory, 'scripts'), 'script'),
		'utf8',
	);
}
