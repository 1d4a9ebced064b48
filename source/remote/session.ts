import {shellWord} from '../encode/index.js';
import {UserError} from '../errors.js';
import {readScript} from '../assets.js';
import {sha256OfFile} from '../local/sha256.js';
import {runRaw} from './exec.js';
import type {Link} from './link.js';
import {asRoot} from './privilege.js';
import {parseProbeOutput, probeScript} from './probe.js';
import {
	probeAfterMarker,
	readWholeFirst,
	readWholeFirstThenProbe,
	valuesPreamble,
} from './scripts.js';
import type {
	ExecOptions,
	ExecResult,
	Privilege,
	RemoteSession,
	Target,
} from './types.js';
import {base64Of, uploadHeader, uploadScript} from './upload.js';

export type SessionParts = {
	link: Link;
	target: Target;
	hostKeyFingerprint: string;
	loginPublicKey?: string;
	privilege: Privilege;
	sudoPassword?: string;
	/** Where runScript reads scripts; defaults to the package's assets/scripts/. */
	scriptsDirectory?: string;
	/** Closes the link and any jump hosts' links behind it. */
	close(): Promise<void>;
};

// Stopping a command is itself a command: on a busy host it may take a while, and if it gave up the
// command would be left running.
const killTimeoutMs = 30_000;

function assertWritten(path: string, result: ExecResult): void {
	if (result.code !== 0) {
		throw new UserError(
			`could not write ${path} on the host: ${result.stderr.trim() || `exit ${result.code}`}`,
		);
	}
}

export function makeSession(parts: SessionParts): RemoteSession {
	const {link, privilege, sudoPassword} = parts;

	const kill = async (pid: string) => {
		const wrapped = asRoot(privilege, `pkill -KILL -s ${pid}`, sudoPassword);
		await runRaw(link, {
			command: wrapped.command,
			stdin: wrapped.stdinPrefix,
			label: 'stopping a remote command',
			options: {timeoutMs: killTimeoutMs},
			kill: async () => undefined,
		});
	};

	/** `command` runs via the login shell, or as root through sudo with `stdin` after the password. */
	const run = async ({
		command,
		stdin,
		stdinStream,
		label,
		options,
		root,
	}: {
		command: string;
		stdin: string;
		stdinStream?: AsyncIterable<string>;
		label: string;
		options: ExecOptions;
		root: boolean;
	}): Promise<ExecResult> => {
		const wrapped = root
			? asRoot(privilege, command, sudoPassword)
			: {command, stdinPrefix: ''};
		return runRaw(link, {
			command: wrapped.command,
			stdin: wrapped.stdinPrefix + stdin,
			stdinStream,
			label,
			options,
			kill,
		});
	};

	const session: RemoteSession = {
		target: parts.target,
		hostKeyFingerprint: parts.hostKeyFingerprint,
		loginPublicKey: parts.loginPublicKey,
		privilege,
		get roundTrips() {
			return link.roundTrips;
		},
		async exec(command, options = {}) {
			const root = options.root === true && privilege !== 'root';
			return run({
				command: root ? `bash -c ${shellWord(command)}` : command,
				stdin: options.stdin ?? '',
				label: `the remote command "${command.slice(0, 60)}"`,
				options,
				root,
			});
		},
		async runScript(name, options = {}) {
			const script = await readScript(name, parts.scriptsDirectory);
			const body = options.library
				? `${await readScript(options.library, parts.scriptsDirectory)}\n${script}`
				: script;
			const {thenProbe} = options;
			const probing =
				thenProbe && Object.keys(thenProbe).length > 0 && !options.stdinTail;
			const result = await run({
				command: 'bash -s',
				stdin:
					valuesPreamble(options.values ?? {}) +
					(options.stdinTail
						? body
						: probing
							? readWholeFirstThenProbe(body, probeScript(thenProbe))
							: readWholeFirst(body)),
				label: `the script ${name}`,
				options,
				root: options.root !== false,
			});
			const at = probing
				? result.stdout.lastIndexOf(`${probeAfterMarker}\n`)
				: -1;
			if (at === -1) {
				return result;
			}

			const stdout = result.stdout.slice(0, at);
			try {
				const probed = parseProbeOutput(
					result.stdout.slice(at + probeAfterMarker.length + 1),
					Object.keys(thenProbe!),
				);
				return {...result, stdout, probed};
			} catch {
				// An answer cut short: whoever wanted it reads the host again.
				return {...result, stdout};
			}
		},
		async probe(probes, options = {}) {
			const keys = Object.keys(probes);
			if (keys.length === 0) {
				return {};
			}

			const result = await run({
				command: 'bash -s',
				stdin: probeScript(probes),
				label: `the checks (${keys.join(', ')})`,
				options,
				root: options.root === true,
			});
			return parseProbeOutput(result.stdout, keys);
		},
		async upload(content, path, options) {
			const result = await run({
				command: 'bash -s',
				stdin: uploadScript(content, path, options),
				label: `the upload of ${path}`,
				options: {},
				root: true,
			});
			assertWritten(path, result);
		},
		async uploadFile(local, path, options) {
			const result = await run({
				command: 'bash -s',
				stdin: uploadHeader(await sha256OfFile(local), path, options),
				stdinStream: base64Of(local),
				label: `the upload of ${path}`,
				options: {},
				root: true,
			});
			assertWritten(path, result);
		},
		async openChannel(port) {
			link.assertAlive();
			return new Promise((resolve, reject) => {
				link.client.forwardOut(
					'127.0.0.1',
					0,
					'127.0.0.1',
					port,
					(error, stream) => {
						if (error) {
							reject(error);
						} else {
							resolve(stream);
						}
					},
				);
			});
		},
		close: parts.close,
	};
	return session;
}
