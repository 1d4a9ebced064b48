import type {Duplex} from 'node:stream';

/**
 * The contract between the SSH layer and everything that runs on the host. Steps, the lock and
 * the preflight probes use only this; `connect()` in source/remote/connect.ts makes one.
 */

/** Where and as whom to connect, after ~/.ssh/config and flags are resolved. */
export type Target = {
	/** What the operator typed: an address, a host name or a ~/.ssh/config alias. */
	alias: string;
	hostname: string;
	port: number;
	user: string;
	/** Private key files to offer, in order (--identity first, then IdentityFile entries). */
	identityFiles: string[];
	/** IdentitiesOnly from ssh config: offer only the listed keys, not the agent's others. */
	identitiesOnly: boolean;
	/** The hop to go through first (ProxyJump), itself fully resolved. */
	proxyJump?: Target;
};

/** How the login user gets root on the host. */
export type Privilege = 'root' | 'sudo' | 'sudo-password';

export type ExecOptions = {
	/** Sent on stdin; never on the command line. */
	stdin?: string;
	/** Run as root (through sudo when the login user is not root). */
	root?: boolean;
	/** Per command; on expiry the remote command is killed and a UserError says which. */
	timeoutMs?: number;
	/**
	 * A stop request (the first Ctrl-C): once aborted, no new command starts (InterruptedError),
	 * while a command already running is left to finish, so no step is cut in half.
	 */
	signal?: AbortSignal;
	/** Aborting kills the running remote command and rejects with InterruptedError. */
	cancel?: AbortSignal;
	/**
	 * More stdin for a long-running command, sent when this settles; stdin stays open until then
	 * (the host lock's holder is told to let go this way, without a new round trip).
	 */
	stdinTail?: Promise<string>;
	/** Each complete output line, as it arrives (for the live status pane and the log). */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
};

export type ExecResult = {code: number; stdout: string; stderr: string};

/** One read-only check in a batch: a shell snippet run by bash; its exit code and output return. */
export type ProbeResult = {code: number; output: string};

export type RemoteSession = {
	readonly target: Target;
	/** SHA256:… of the host key the connection was verified with. */
	readonly hostKeyFingerprint: string;
	/** The public half of the key this session logged in with, as an authorized_keys line. */
	readonly loginPublicKey?: string;
	readonly privilege: Privilege;
	/** Remote commands sent so far: the unit of the round-trip budget (docs/contributing.md, House rules). */
	readonly roundTrips: number;
	/** Run a raw command line (no secrets in it: they go in `stdin`). */
	exec(command: string, options?: ExecOptions): Promise<ExecResult>;
	/**
	 * Run `assets/scripts/<name>` with bash, as root unless `root: false`. `values` become shell
	 * variables of the script, read from stdin before the script body, so secrets never reach argv,
	 * the environment of other processes, or a file.
	 */
	runScript(
		name: string,
		options?: Omit<ExecOptions, 'stdin'> & {
			values?: Record<string, string>;
			/** Another script of assets/scripts/ sent first: helpers the script shares with others. */
			library?: string;
			/**
			 * Read-only snippets run after the script succeeded, in the same round trip: what a verify
			 * would read next, without a round trip of its own. Their results are `probed`.
			 */
			thenProbe?: Record<string, string>;
		},
	): Promise<ExecResult & {probed?: Record<string, ProbeResult>}>;
	/** Many read-only snippets in one round trip; results by key. */
	probe(
		probes: Record<string, string>,
		options?: Pick<ExecOptions, 'root' | 'timeoutMs' | 'signal' | 'cancel'>,
	): Promise<Record<string, ProbeResult>>;
	/** Write a file atomically (temp file, SHA-256 check, rename), with mode and owner. */
	upload(
		content: string | Uint8Array,
		path: string,
		options: {mode: number; owner?: string},
	): Promise<void>;
	/** `upload` of a local file read a piece at a time: never whole in memory (k3s's image archive). */
	uploadFile(
		localPath: string,
		path: string,
		options: {mode: number; owner?: string},
	): Promise<void>;
	/**
	 * A byte stream to the host's own `127.0.0.1:port`, through the SSH connection (the Kubernetes
	 * API): the port is never opened to the network. Not a round trip: nothing runs on the host.
	 */
	openChannel(port: number): Promise<Duplex>;
	close(): Promise<void>;
};

/** Questions the SSH layer may need answered; absent when the session is not interactive. */
export type Prompter = {
	confirm(question: string): Promise<boolean>;
	secret(question: string): Promise<string>;
};
