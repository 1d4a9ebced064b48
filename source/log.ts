import {appendFileSync, mkdirSync} from 'node:fs';
import {dirname} from 'node:path';

export type Logger = {
	readonly file?: string;
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
	/** Register a secret value: from now on it is replaced by `***` in everything logged. */
	addSecret(value: string | undefined): void;
	/** The text with every registered secret replaced: for anything shown, not only logged. */
	redact(text: string): string;
};

/** Replaces every registered secret, longest first so a secret containing another is hidden whole. */
export function makeRedactor(): {
	add(value: string | undefined): void;
	redact(text: string): string;
} {
	const secrets = new Set<string>();
	return {
		add(value) {
			// Very short values would blank out ordinary words; no real secret is that short.
			if (value && value.length >= 4) {
				secrets.add(value);
			}
		},
		redact(text) {
			let result = text;
			for (const secret of [...secrets].toSorted(
				(a, b) => b.length - a.length,
			)) {
				result = result.split(secret).join('***');
			}

			return result;
		},
	};
}

/**
 * A logger that appends redacted, timestamped lines to a file. Writes are synchronous so the
 * last lines before a crash or Ctrl-C are on disk.
 */
export function createLogger(
	file?: string,
	now: () => Date = () => new Date(),
): Logger {
	const redactor = makeRedactor();
	if (file) {
		mkdirSync(dirname(file), {recursive: true, mode: 0o700});
		// Made at once: a summary names the log even when nothing was written to it.
		appendFileSync(file, '', {mode: 0o600});
	}

	const write = (level: string, message: string) => {
		if (file) {
			appendFileSync(
				file,
				`${now().toISOString()} ${level} ${redactor.redact(message)}\n`,
				{mode: 0o600},
			);
		}
	};

	return {
		file,
		info(message) {
			write('info ', message);
		},
		warn(message) {
			write('warn ', message);
		},
		error(message) {
			write('error', message);
		},
		addSecret(value) {
			redactor.add(value);
		},
		redact: text => redactor.redact(text),
	};
}
