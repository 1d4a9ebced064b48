/*
TEST-ONLY stand-in for source/remote/connect.ts until it lands: a RemoteSession over node-ssh with
the same contract (scripts and values on stdin, one round trip per probe batch, counted round trips).
*/
import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {EventEmitter} from 'node:events';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {NodeSSH} from 'node-ssh';
import type {
	ExecOptions,
	ExecResult,
	ProbeResult,
	RemoteSession,
} from '../../source/remote/types.js';

const scripts = fileURLToPath(
	new URL('../../assets/scripts/', import.meta.url),
);

export const shellQuote = (text: string) =>
	`'${text.replaceAll("'", String.raw`'\''`)}'`;

export type TestSessionOptions = {
	host: string;
	port: number;
	user: string;
	privateKeyPath: string;
	hostKeyFingerprint: string;
	readyTimeout?: number;
};

export async function openNodeSshSession(
	options: TestSessionOptions,
): Promise<RemoteSession> {
	const ssh = new NodeSSH();
	await ssh.connect({
		host: options.host,
		port: options.port,
		username: options.user,
		privateKeyPath: options.privateKeyPath,
		readyTimeout: options.readyTimeout ?? 10_000,
		hostVerifier(key: Uint8Array) {
			const digest = createHash('sha256').update(key).digest('base64');
			return (
				`SHA256:${digest.replace(/=+$/, '')}` === options.hostKeyFingerprint
			);
		},
	});
	const client: unknown = ssh.connection;
	const connection = client instanceof EventEmitter ? client : undefined;
	connection?.on('error', () => {
		// Surfaces in the next command.
	});
	let roundTrips = 0;
	const isRoot = options.user === 'root';
	const wrap = (command: string, root?: boolean) =>
		root && !isRoot ? `sudo -n bash -c ${shellQuote(command)}` : command;

	async function exec(
		command: string,
		execOptions: ExecOptions = {},
	): Promise<ExecResult> {
		roundTrips++;
		let pending = {stdout: '', stderr: ''};
		const emit = (chunk: Uint8Array, stream: 'stdout' | 'stderr') => {
			if (!execOptions.onLine) {
				return;
			}

			pending[stream] += chunk.toString();
			const parts = pending[stream].split('\n');
			pending[stream] = parts.pop() ?? '';
			for (const line of parts) {
				execOptions.onLine(line, stream);
			}
		};

		const result = await ssh.execCommand(wrap(command, execOptions.root), {
			stdin: execOptions.stdin,
			onStdout(chunk) {
				emit(chunk, 'stdout');
			},
			onStderr(chunk) {
				emit(chunk, 'stderr');
			},
		});
		pending = {stdout: '', stderr: ''};
		return {
			code: result.code ?? 255,
			stdout: result.stdout,
			stderr: result.stderr,
		};
	}

	const session: RemoteSession = {
		target: {
			alias: options.host,
			hostname: options.host,
			port: options.port,
			user: options.user,
			identityFiles: [options.privateKeyPath],
			identitiesOnly: true,
		},
		hostKeyFingerprint: options.hostKeyFingerprint,
		privilege: isRoot ? 'root' : 'sudo',
		get roundTrips() {
			return roundTrips;
		},
		exec,
		async runScript(name, {values = {}, root = true, ...rest} = {}) {
			const body = await readFile(path.join(scripts, name), 'utf8');
			const assignments = Object.entries(values)
				.map(([key, value]) => `${key}=${shellQuote(value)}`)
				.join('\n');
			// Braces make bash read the whole script before running it, so commands cannot eat it from stdin.
			return exec('bash -s', {
				...rest,
				root,
				stdin: `${assignments}\n{\n${body}\n} </dev/null\n`,
			});
		},
		async probe(probes, probeOptions = {}) {
			const lines = Object.entries(probes).map(
				([key, snippet]) =>
					String.raw`o=$(bash -c ${shellQuote(snippet)} 2>/dev/null </dev/null); c=$?; printf '%s %s %s\n' ${shellQuote(key)} "$c" "$(printf '%s' "$o" | base64 -w0)"`,
			);
			const result = await exec('bash -s', {
				...probeOptions,
				root: probeOptions.root ?? true,
				stdin: `${lines.join('\n')}\n`,
			});
			const results: Record<string, ProbeResult> = {};
			for (const line of result.stdout.split('\n').filter(Boolean)) {
				const [key = '', code = '', encoded = ''] = line.split(' ');
				results[key] = {
					code: Number(code),
					output: Buffer.from(encoded, 'base64').toString('utf8'),
				};
			}

			return results;
		},
		async upload(content, target, {mode, owner}) {
			const text =
				typeof content === 'string'
					? content
					: Buffer.from(content).toString('utf8');
			const chown = owner ? ` && chown ${shellQuote(owner)} "$t"` : '';
			const result = await exec(
				`t=$(mktemp ${shellQuote(`${target}.XXXXXX`)}) && cat > "$t" && chmod ${mode.toString(8)} "$t"${chown} && mv -f "$t" ${shellQuote(target)}`,
				{stdin: text, root: true},
			);
			if (result.code !== 0) {
				throw new Error(`upload to ${target} failed: ${result.stderr}`);
			}
		},
		async close() {
			if (!connection) {
				return;
			}

			const closed = new Promise<void>(resolve => {
				connection.once('close', () => {
					resolve();
				});
			});
			ssh.dispose();
			await closed;
		},
	};
	return session;
}
