import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

let assetsDirectory: string | undefined;

/** `assets/` of the package, searched upward: this runs from source/github/ or from dist/. */
function findAssets(): string {
	let directory = dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const candidate = join(directory, 'assets');
		if (existsSync(join(candidate, 'labels.json'))) {
			return candidate;
		}

		const parent = dirname(directory);
		if (parent === directory) {
			throw new Error('no assets/labels.json above the installer');
		}

		directory = parent;
	}
}

export function readAsset(name: string): string {
	assetsDirectory ??= findAssets();
	return readFileSync(join(assetsDirectory, name), 'utf8');
}
