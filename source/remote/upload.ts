import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {shellWord} from '../encode/index.js';

/**
 * A bash script that writes stdin's remainder (base64) to a temp file beside `path`, checks its
 * SHA-256, sets mode and owner, and renames it into place. It is one `{ … }` group: bash parses it
 * whole before running it, so `base64 -d` then reads exactly the data that follows on stdin.
 */
export function uploadScript(
	content: string | Uint8Array,
	path: string,
	options: {mode: number; owner?: string},
): string {
	if (!path.startsWith('/')) {
		throw new Error(`upload needs an absolute path, got "${path}"`);
	}

	const bytes =
		typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
	const sum = createHash('sha256').update(bytes).digest('hex');
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
		String.raw`if ! printf '%s  %s\n' ${sum} "$tmp" | sha256sum -c --status; then echo "the uploaded copy of $dest does not match its SHA-256" >&2; exit 3; fi`,
		`chmod ${mode} "$tmp"`,
		owner,
		'mv -f -- "$tmp" "$dest"',
		'trap - EXIT',
		'}',
	].join('\n');
	return `${script}\n${bytes.toString('base64')}\n`;
}
