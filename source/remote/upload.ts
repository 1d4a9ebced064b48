import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {shellWord} from '../encode/index.js';

type UploadOptions = {mode: number; owner?: string};

/**
 * A bash script that writes stdin's remainder (base64) to a temp file beside `path`, checks its
 * SHA-256, sets mode and owner, and renames it into place. It is one `{ … }` group: bash parses it
 * whole before running it, so `base64 -d` then reads exactly the data that follows on stdin.
 */
export function uploadHeader(
	sha256: string,
	path: string,
	options: UploadOptions,
): string {
	if (!path.startsWith('/')) {
		throw new Error(`upload needs an absolute path, got "${path}"`);
	}

	const mode = (options.mode & 0o7777).toString(8).padStart(4, '0');
	const owner = options.owner
		? `chown ${shellWord(options.owner)} "$tmp"`
		: ':';
	const script = [
		'{',
		'set -eu',
		`dest=${shellWord(path)}`,
		'tmp=$(mktemp "$(dirname -- "$dest")/.ck8s-upload.XXXXXX")',
		`trap 'rm -f -- "$tmp"' EXIT`,
		'base64 -d > "$tmp"',
		String.raw`if ! printf '%s  %s\n' ${sha256} "$tmp" | sha256sum -c --status; then echo "the uploaded copy of $dest does not match its SHA-256" >&2; exit 3; fi`,
		`chmod ${mode} "$tmp"`,
		owner,
		'mv -f -- "$tmp" "$dest"',
		'trap - EXIT',
		'}',
	].join('\n');
	return `${script}\n`;
}

/** The whole upload of `content` held in memory: for small files. */
export function uploadScript(
	content: string | Uint8Array,
	path: string,
	options: UploadOptions,
): string {
	const bytes =
		typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
	const sum = createHash('sha256').update(bytes).digest('hex');
	return `${uploadHeader(sum, path, options)}${bytes.toString('base64')}\n`;
}

/** A local file as base64, read a piece at a time; pieces split only at whole 3-byte groups. */
export async function* base64Of(path: string): AsyncGenerator<string> {
	let rest = Buffer.alloc(0);
	for await (const chunk of createReadStream(path, {
		highWaterMark: 3 << 16,
	})) {
		const bytes = Buffer.concat([rest, chunk as Uint8Array]);
		const whole = bytes.length - (bytes.length % 3);
		if (whole > 0) {
			yield bytes.subarray(0, whole).toString('base64');
		}

		rest = bytes.subarray(whole);
	}

	yield `${rest.toString('base64')}\n`;
}
