import {homedir} from 'node:os';
import {join} from 'node:path';

/** A nested record of answers, as read from YAML or built from flags. */
export type Tree = {[key: string]: unknown};

export function getPath(tree: Tree, path: string): unknown {
	let current: unknown = tree;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) {
			return undefined;
		}

		current = (current as Tree)[key];
	}

	return current;
}

export function setPath(tree: Tree, path: string, value: unknown): void {
	const keys = path.split('.');
	const last = keys.pop()!;
	let current = tree;
	for (const key of keys) {
		const next = current[key];
		if (typeof next !== 'object' || next === null) {
			if (value === undefined) {
				return;
			}

			current[key] = {};
		}

		current = current[key] as Tree;
	}

	if (value === undefined) {
		// eslint-disable-next-line @typescript-eslint/no-dynamic-delete
		delete current[last];
	} else {
		current[last] = value;
	}
}

export function expandHome(path: string, home = homedir()): string {
	return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}
