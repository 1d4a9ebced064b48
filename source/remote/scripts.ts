import {Buffer} from 'node:buffer';

const variableName = /^[A-Za-z_]\w*$/;

/**
 * Shell that reads each value into a variable from the next stdin line. bash reads a script on
 * stdin byte by byte, so each `read` takes the line right after it; the value travels base64
 * encoded (any bytes, one line) and is decoded in a pipe: never in argv, the environment, or a
 * file (no heredocs, which bash may back with temporary files).
 */
export function valuesPreamble(values: Record<string, string>): string {
	let text = '';
	for (const [name, value] of Object.entries(values)) {
		if (!variableName.test(name) || name.startsWith('__ck8s')) {
			throw new Error(`invalid script value name "${name}"`);
		}

		text += 'IFS= read -r __ck8s_v || exit 97\n';
		text += `${Buffer.from(value, 'utf8').toString('base64')}\n`;
		// The trailing x keeps trailing newlines that command substitution would strip.
		text += `${name}=$(printf %s "$__ck8s_v" | base64 -d; printf x); ${name}=\${${name}%x}\n`;
	}

	return `${text}unset __ck8s_v\n`;
}

/**
 * The script as one function run with stdin from /dev/null: bash reads the whole function before
 * running it, so no command inside can swallow the rest of the script from stdin (apt-get and ssh
 * read stdin). Scripts that talk over stdin (given `stdinTail`) are sent as they are.
 */
export const readWholeFirst = (body: string): string =>
	`__ck8s_script() {\n${body}\n}\n__ck8s_script </dev/null\n`;

/** The line between a script's own output and the probe run after it (`thenProbe`). */
export const probeAfterMarker = '__ck8s_probe_after_script__';

/**
 * As `readWholeFirst`, then `probe` (a probe script) once the script exited 0. The script runs in a
 * subshell, so its `exit` and `set -e` end it and not what follows; the exit code stays its own.
 */
export const readWholeFirstThenProbe = (body: string, probe: string): string =>
	`__ck8s_script() {\n${body}\n}\n( __ck8s_script </dev/null ); __ck8s_code=$?\nif [ "$__ck8s_code" -ne 0 ]; then exit "$__ck8s_code"; fi\nprintf '%s\\n' ${probeAfterMarker}\n${probe}exit 0\n`;
