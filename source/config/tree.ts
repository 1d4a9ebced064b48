import {homedir} from 'node:os';
import {join} from 'node:path';

/** A nested record of answers, as read from YAML or built from flags. */
export type Tree = Record<string, unknown>;

export const isTree = (value: unknown): value is Tree =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a dotted path; numeric segments index lists (`platform.allowedEmails.1`). */
export function getPath(tree: Tree, path: string): unknown {
	let current: unknown = tree;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) {
			return undefined;
		}

		current = Reflect.get(current, key);
	}

	return current;
}

/** Set (or, with `undefined`, delete) the value at a dotted path, creating groups as needed. */
export function setPath(tree: Tree, path: string, value: unknown): void {
	const keys = path.split('.');
	const last = keys.pop()!;
	let current = tree;
	for (const key of keys) {
		const next = current[key];
		if (isTree(next)) {
			current = next;
		} else if (value === undefined) {
			// Nothing to delete, and no empty groups left behind.
			return;
		} else {
			const created: Tree = {};
			current[key] = created;
			current = created;
		}
	}

	if (value === undefined) {
		// eslint-disable-next-line @typescript-eslint/no-dynamic-delete
		delete current[last];
	} else {
		current[last] = value;
	}
}

export function expandHome(path: string, home = homedir()): string {
	return path === '~'
		? home
		: path.startsWith('~/')
			? join(home, path.slice(2))
			: path;
}

/** `source` merged into `target` field by field (a section's other fields stay); undefined is no value. */
export function mergeTree(target: Tree, source: Tree): void {
	for (const [key, value] of Object.entries(source)) {
		const existing = target[key];
		if (isTree(value) && isTree(existing)) {
			mergeTree(existing, value);
		} else if (isTree(value)) {
			target[key] = structuredClone(value);
		} else if (value !== undefined) {
			target[key] = value;
		}
	}
}
