import {accessSync, constants, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {UsageError} from '../errors.js';

type Kind = 'file' | 'directory' | undefined;

function kindOf(path: string): Kind {
	try {
		return statSync(path).isDirectory() ? 'directory' : 'file';
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			return undefined;
		}

		throw error;
	}
}

/** The nearest path at or above `path` that exists. */
function nearestExisting(path: string): {path: string; kind: Kind} {
	let current = path;
	let kind = kindOf(current);
	while (!kind && dirname(current) !== current) {
		current = dirname(current);
		kind = kindOf(current);
	}

	return {path: current, kind};
}

/** `path` can be created below its nearest existing directory, which we may write to. */
function assertCreatable(path: string, label: string, what: string): void {
	const found = nearestExisting(dirname(path));
	if (found.kind === 'file') {
		throw new UsageError(
			`${label} ${path} cannot be created: ${found.path} is a file`,
			`Give a ${what} path whose parents are directories.`,
		);
	}

	try {
		accessSync(found.path, constants.W_OK);
	} catch {
		throw new UsageError(
			`${label} ${path} cannot be written: ${found.path} is not writable`,
			`Give a ${what} path you may write to.`,
		);
	}
}

/** Checked up front, so a wrong path is a clear message rather than a failure halfway. */
export function assertDirectoryPath(path: string, label: string): void {
	const kind = kindOf(path);
	if (kind === 'file') {
		throw new UsageError(
			`${label} ${path} is a file, not a directory`,
			'Give a directory; it is created when missing.',
		);
	}

	if (!kind) {
		assertCreatable(path, label, 'directory');
	}
}

export function assertFilePath(path: string, label: string): void {
	const kind = kindOf(path);
	if (kind === 'directory') {
		throw new UsageError(
			`${label} ${path} is a directory, not a file`,
			`Name a file, such as ${join(path, 'install.log')}.`,
		);
	}

	if (!kind) {
		assertCreatable(path, label, 'file');
	}
}
