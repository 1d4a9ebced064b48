import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let directory: string | undefined;

/** `assets/scripts/` of the package, found upwards from here: from source/ and from the bundle. */
function scriptsDirectory(): string {
	if (directory) {
		return directory;
	}

	let current = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const candidate = path.join(current, 'assets', 'scripts');
		if (existsSync(candidate)) {
			directory = candidate;
			return candidate;
		}

		const parent = path.dirname(current);
		if (parent === current) {
			throw new Error('assets/scripts not found next to the installer');
		}

		current = parent;
	}
}

const cache = new Map<string, string>();

/** The text of `assets/scripts/<name>`, for snippets that travel inside a batched probe. */
export function scriptText(name: string): string {
	let text = cache.get(name);
	if (text === undefined) {
		text = readFileSync(path.join(scriptsDirectory(), name), 'utf8');
		cache.set(name, text);
	}

	return text;
}
