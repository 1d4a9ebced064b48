import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {readScript} from '../../source/assets.js';
import {readWholeFirst, valuesPreamble} from '../../source/remote/scripts.js';
import type {ExecResult, RemoteSession} from '../../source/remote/types.js';

/**
 * Stand-in: a "host" that is this machine, through bash, not SSH. Scripts are read from
 * `scriptsDirectory` and sent exactly as the SSH session sends them (values on stdin, the body read
 * whole first); probes are one bash each. For the engine and kit wiring, not for host behaviour
 * (that is proven on guests).
 */
export function loopbackSession(scriptsDirectory: URL): RemoteSession & {
	scripts: string[];
} {
	let roundTrips = 0;
	const scripts: string[] = [];
	const bash = async (stdin: string): Promise<ExecResult> =>
		new Promise((resolve, reject) => {
			const child = spawn('bash', ['-s'], {stdio: ['pipe', 'pipe', 'pipe']});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Uint8Array) => {
				stdout += String(chunk);
			});
			child.stderr.on('data', (chunk: Uint8Array) => {
				stderr += String(chunk);
			});
			child.on('error', reject);
			child.on('close', code => {
				resolve({code: code ?? 1, stdout, stderr});
			});
			child.stdin.end(stdin);
		});

	const unsupported = async () => {
		throw new Error('not used on the loopback host');
	};

	return {
		scripts,
		target: {
			alias: 'loopback',
			hostname: 'localhost',
			port: 22,
			user: 'root',
			identityFiles: [],
			identitiesOnly: false,
		},
		hostKeyFingerprint: 'SHA256:loopback',
		privilege: 'root',
		get roundTrips() {
			return roundTrips;
		},
		exec: unsupported,
		upload: unsupported,
		uploadFile: unsupported,
		openChannel: unsupported,
		async probe(snippets) {
			roundTrips++;
			const entries = await Promise.all(
				Object.entries(snippets).map(async ([key, snippet]) => {
					const {code, stdout} = await bash(snippet);
					return [key, {code, output: stdout}] as const;
				}),
			);
			return Object.fromEntries(entries);
		},
		async runScript(name, options = {}) {
			roundTrips++;
			scripts.push(name);
			const body = await readScript(name, fileURLToPath(scriptsDirectory));
			const result = await bash(
				valuesPreamble(options.values ?? {}) + readWholeFirst(body),
			);
			for (const line of result.stdout.split('\n').filter(Boolean)) {
				options.onLine?.(line, 'stdout');
			}

			return result;
		},
		async close() {},
	};
}
