import {readFileSync} from 'node:fs';
import {isAbsolute, resolve} from 'node:path';
import {UsageError} from '../errors.js';
import {expandHome} from './tree.js';

export type PathOptions = {
	home?: string;
	/** Folder that relative paths are taken from (a config file's folder); default: cwd. */
	base?: string;
};

export function resolvePath(
	file: string,
	{home, base}: PathOptions = {},
): string {
	const expanded = expandHome(file, home);
	return base && !isAbsolute(expanded) ? resolve(base, expanded) : expanded;
}

const reasons: Record<string, string> = {
	ENOENT: 'it does not exist',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'it is a folder, not a file',
	ENOTDIR: 'a part of the path is not a folder',
};

const reasonOf = (error: unknown): string => {
	const code: unknown =
		error instanceof Error && 'code' in error ? error.code : undefined;
	if (typeof code === 'string') {
		return reasons[code] ?? code;
	}

	return error instanceof Error ? error.message : String(error);
};

/** Read a file the user named; failures say which input named it and why it failed. */
export function readText(
	file: string,
	what: string,
	options?: PathOptions,
): string {
	const path = resolvePath(file, options);
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new UsageError(
			`Cannot read ${what} ${path}: ${reasonOf(error)}`,
			'Check the path and its permissions.',
		);
	}
}

/*
 * A long single word with no slash or dot is far more likely a token pasted where its file's path
 * belongs than a file name, so an unreadable "path" like that is never echoed.
 */
const looksLikeSecret = (file: string): boolean =>
	file.length >= 16 && !/[\/\\.~]/v.test(file);

/**
 * Read a secret from a file the user named. The contents never appear in an error, and neither does
 * a "path" that looks like the secret itself.
 */
export function readSecretFile(
	file: string,
	what: string,
	fix: string,
	options?: PathOptions,
): string {
	const path = resolvePath(file, options);
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if (looksLikeSecret(file)) {
			throw new UsageError(
				`${what} must be the path of a file holding the secret, but it names no readable file and looks like a secret itself (not shown)`,
				`Put the secret in a file and give its path, or set it directly with ${fix}.`,
			);
		}

		throw new UsageError(
			`Cannot read the secret file ${path} named by ${what}: ${reasonOf(error)}`,
			'Check the path and its permissions (the file should be readable by you only: chmod 600).',
		);
	}

	const value = text.trim();
	if (value === '') {
		throw new UsageError(
			`The secret file ${path} named by ${what} is empty`,
			'Write the secret into the file, or point at the right file.',
		);
	}

	return value;
}
