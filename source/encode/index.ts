/**
 * One encoder per destination format: every value interpolated into a file or command that
 * reaches the host (or GitHub) goes through the one for its format. JSON has its own encoder,
 * JSON.stringify; text that travels as a script value is base64 on stdin (remote/scripts.ts). Each returns text that the
 * destination reads back as exactly the value, or throws when the format has no way to carry it:
 * the input schema refuses such values first, so a throw here is a bug, never a user's mistake.
 */

// C0 controls, DEL and C1 controls: no line-based format carries them as data.
const control = /\p{Cc}/v;

function refuse(format: string, value: string, why: string): never {
	throw new Error(
		`${format} cannot carry ${JSON.stringify(value.slice(0, 60))}: ${why}`,
	);
}

function plainLine(format: string, value: string): string {
	if (control.test(value)) {
		refuse(format, value, 'it holds a control character or a line break');
	}

	return value;
}

/** A word for a POSIX shell: single-quoted, so nothing inside is expanded. */
export function shellWord(value: string): string {
	if (value.includes('\0')) {
		refuse('a shell word', value, 'it holds a NUL byte');
	}

	return `'${value.replaceAll("'", String.raw`'\''`)}'`;
}

/** A double-quoted apt.conf string: apt has no escape for `"`, so it and `\` are refused. */
export function aptString(value: string): string {
	if (/["\\]/.test(plainLine('an apt.conf string', value))) {
		refuse('an apt.conf string', value, 'apt has no escape for " or \\');
	}

	return `"${value}"`;
}

// YAML 1.1 reads these plain scalars as booleans or null; GitHub's parser follows 1.2 but
// others (and people) may not, so they are quoted too.
const yamlKeyword = /^(?:true|false|yes|no|on|off|y|n|null)$/i;

/**
 * A YAML string scalar. A plain name (a letter, then letters, digits and . _ - /) stays plain,
 * so files written before stay byte-identical; anything else is double-quoted JSON, which YAML
 * reads back exactly, with every character that could end the scalar escaped or inside quotes.
 */
export function yamlString(value: string): string {
	if (/^[A-Za-z][\w./-]*$/.test(value) && !yamlKeyword.test(value)) {
		return value;
	}

	// JSON leaves DEL, C1 controls and U+2028/9 raw; YAML wants them escaped.
	return JSON.stringify(value).replaceAll(
		/[\u007F-\u009F\u2028\u2029]/g,
		character =>
			String.raw`\u` + character.codePointAt(0)!.toString(16).padStart(4, '0'),
	);
}

/**
 * A keyword's argument in sshd_config: one token, as sshd splits on spaces and takes `"` and
 * `#` as syntax.
 */
export function sshdWord(value: string): string {
	if (
		value === '' ||
		/[\s"'#\\]/.test(plainLine('an sshd_config word', value))
	) {
		refuse(
			'an sshd_config word',
			value,
			'it is empty or holds a space, quote, # or \\',
		);
	}

	return value;
}

/**
 * An absolute path in a systemd unit's Exec line: systemd splits on spaces and expands `$` and
 * `%` there, so the path is limited to plain path characters.
 */
export function systemdPath(value: string): string {
	if (!/^\/[\w./-]*$/.test(value)) {
		refuse(
			'a systemd unit path',
			value,
			'only letters, digits and . _ - / are allowed',
		);
	}

	return value;
}

/** A port in an nft rule: a whole number from 1 to 65535, written as one. */
export function nftPort(port: number): string {
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		refuse(
			'an nft rule',
			String(port),
			'a port is a whole number from 1 to 65535',
		);
	}

	return String(port);
}

/** A port or a range (`6000-6007`) in an nft rule, each end through nftPort, the lower first. */
export function nftPortRange(spec: string): string {
	const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(spec);
	if (!match) {
		refuse('an nft rule', spec, 'a port range is two ports joined by -');
	}

	const first = nftPort(Number(match[1]));
	const last = match[2] === undefined ? undefined : nftPort(Number(match[2]));
	if (last !== undefined && Number(last) < Number(first)) {
		refuse('an nft rule', spec, 'a range starts with its lower port');
	}

	return last === undefined ? first : `${first}-${last}`;
}

/**
 * A user in a sudoers line: sudoers gives meaning to `,:=()!#%+\` and spaces, so only what a
 * POSIX user name may hold is allowed.
 */
export function sudoersUser(value: string): string {
	if (!/^[a-z_][\da-z_-]*$/.test(value)) {
		refuse('a sudoers line', value, 'a user there is a POSIX user name');
	}

	return value;
}

/**
 * The value of a setting in a systemd unit (`OnCalendar=…`): one line, where systemd reads `%`
 * as a specifier and `\` as an escape, and trims the ends; such values are refused.
 */
export function systemdSetting(value: string): string {
	if (
		/[%\\]/.test(plainLine('a systemd setting', value)) ||
		value.trim() !== value ||
		value === ''
	) {
		refuse(
			'a systemd setting',
			value,
			String.raw`it is empty, holds % or \, or starts or ends with a space`,
		);
	}

	return value;
}
