import {expandHome} from '../../source/config/tree.js';
import type {Finding, Step} from '../../source/engine/step.js';
import {
	inspectPrivateKey,
	parsePublicKeys,
	readText,
} from '../../source/local/key-files.js';
import {hasLoginKey, noKeyFound} from '../../source/remote/login-keys.js';

const reason = (error: unknown) =>
	(error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The file's text, or the blocked finding that says why it cannot be read. */
async function readOrBlock(
	path: string,
	what: string,
	hint: string,
): Promise<{text: string} | Finding> {
	try {
		return {text: await readText(path)};
	} catch (error) {
		return {
			kind: 'blocked',
			problem: `cannot read the ${what} ${path} (${reason(error)})`,
			hint,
		};
	}
}

async function checkIdentity(path: string): Promise<string | Finding> {
	const read = await readOrBlock(
		path,
		'SSH key',
		'Check --identity / CODEXK8S_SSH_IDENTITY and the file permissions.',
	);
	if (!('text' in read)) {
		return read;
	}

	const {text} = read;

	const info = inspectPrivateKey(text);
	if (!info) {
		return {
			kind: 'blocked',
			problem: `${path} is not a private key`,
			hint: 'Point --identity at the private half of the key (not the .pub file).',
		};
	}

	return `login key ${path}${info.encrypted ? ' (encrypted: its passphrase is asked once)' : ''}`;
}

async function checkOperatorKey(path: string): Promise<string | Finding> {
	const read = await readOrBlock(
		path,
		'operator key',
		'Check --operator-key / CODEXK8S_OPERATOR_KEY.',
	);
	if (!('text' in read)) {
		return read;
	}

	const {text} = read;

	if (inspectPrivateKey(text)) {
		return {
			kind: 'blocked',
			problem: `${path} is a private key`,
			hint: 'The operator key must be a public key (the .pub file).',
		};
	}

	try {
		const keys = parsePublicKeys(text);
		return `operator key ${path} (${keys.length} key${keys.length === 1 ? '' : 's'})`;
	} catch (error) {
		return {
			kind: 'blocked',
			problem: `${path} ${(error as Error).message}`,
			hint: 'Use an OpenSSH public key file such as ~/.ssh/id_ed25519.pub.',
		};
	}
}

export const keyFiles: Step = {
	id: 'preflight.key-files',
	phase: 'preflight',
	title: 'Local SSH key files',
	reach: 'local',
	serves: 'host',
	inputs: input => ({
		identity: input.connection.identity,
		operatorKey: input.operator.key,
	}),
	runbook: input => ({
		check: [
			input.connection.identity
				? `ssh-keygen -l -f ${input.connection.identity}`
				: 'ssh-add -l   (the agent holds the login key)',
			...(input.operator.key ? [`ssh-keygen -l -f ${input.operator.key}`] : []),
		],
		fix: [
			'point --identity (and --operator-key) at readable OpenSSH key files; a key file must not be readable by others (chmod 600)',
			'a key with a passphrase: add it to ssh-agent (ssh-add KEY) or answer the passphrase when asked',
		],
	}),
	describe: input => [
		input.connection.identity
			? `read the login key ${input.connection.identity}`
			: 'use ssh-agent or ~/.ssh/config for the login key',
		input.operator.key
			? `read the operator key ${input.operator.key}`
			: "give the operator the login key's public half",
	],
	async check({input, local}) {
		const notes: string[] = [];
		const {identity} = input.connection;
		if (identity) {
			const result = await checkIdentity(expandHome(identity, local.home));
			if (typeof result !== 'string') {
				return result;
			}

			notes.push(result);
		} else {
			notes.push(
				local.agentSocket
					? 'login key from ssh-agent'
					: 'login key from ~/.ssh/config or default keys (no ssh-agent running)',
			);
		}

		if (input.operator.key) {
			const result = await checkOperatorKey(
				expandHome(input.operator.key, local.home),
			);
			if (typeof result !== 'string') {
				return result;
			}

			notes.push(result);
		}

		// Found here rather than after the wizard and a failed connection.
		const keyless =
			!identity &&
			!(await hasLoginKey({
				home: local.home,
				agentSocket: local.agentSocket,
				host: input.connection.host,
			}));
		return keyless
			? {kind: 'blocked', ...noKeyFound}
			: {kind: 'done', note: notes.join('; ')};
	},
};
