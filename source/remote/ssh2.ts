import {createRequire} from 'node:module';
import type {EventEmitter} from 'node:events';
import type {Duplex, Readable} from 'node:stream';

/*
 * The slice of ssh2 (under node-ssh) this layer uses, typed here because @types/ssh2 is not a
 * dependency. Both are loaded on first use: they cannot be bundled (native addons) and the
 * offline commands never need them.
 */

export type ParsedKey = {
	type: string;
	comment: string;
	getPublicSSH(): Uint8Array;
	isPrivateKey(): boolean;
};

export type Agent = {
	getIdentities(callback: (error?: Error, keys?: ParsedKey[]) => void): void;
	sign(
		publicKey: ParsedKey,
		data: Uint8Array,
		options: unknown,
		callback: (error?: Error, signature?: Uint8Array) => void,
	): void;
};

export type AuthAttempt =
	| {type: 'agent'; username: string; agent: Agent}
	| {type: 'publickey'; username: string; key: ParsedKey};

export type Channel = Duplex & {
	stderr: Readable;
	signal(name: string): void;
	close(): void;
};

export type Client = EventEmitter & {
	exec(
		command: string,
		callback: (error: Error | undefined, channel: Channel) => void,
	): void;
	forwardOut(
		sourceAddress: string,
		sourcePort: number,
		destinationAddress: string,
		destinationPort: number,
		callback: (error: Error | undefined, stream: Duplex) => void,
	): void;
	end(): void;
};

export type ConnectConfig = {
	sock: Duplex;
	username: string;
	readyTimeout: number;
	keepaliveInterval: number;
	keepaliveCountMax: number;
	algorithms: {serverHostKey: string[]};
	hostVerifier: (key: Uint8Array) => boolean;
	authHandler: (
		methodsLeft: string[] | undefined,
		partialSuccess: boolean | undefined,
		callback: (attempt: AuthAttempt | false) => void,
	) => void;
};

type Ssh2Module = {
	utils: {parseKey(data: Uint8Array | string, passphrase?: string): unknown};
	OpenSSHAgent: new (socketPath: string) => Agent;
	BaseAgent: new () => Agent;
};

type NodeSshModule = {
	NodeSSH: new () => {
		connection: unknown;
		connect(config: ConnectConfig): Promise<unknown>;
		dispose(): void;
	};
};

let loaded: Promise<{ssh2: Ssh2Module; nodeSsh: NodeSshModule}> | undefined;

async function load() {
	const nodeSsh = (await import('node-ssh')) as unknown as NodeSshModule;
	// The very ssh2 node-ssh runs on, wherever npm put it (hoisted or nested).
	const nodeSshRequire = createRequire(
		createRequire(import.meta.url).resolve('node-ssh'),
	);
	return {ssh2: nodeSshRequire('ssh2') as Ssh2Module, nodeSsh};
}

export async function loadSsh(): Promise<{
	ssh2: Ssh2Module;
	nodeSsh: NodeSshModule;
}> {
	loaded ??= load();
	return loaded;
}

/** A parsed key, or the reason it could not be parsed (encrypted without passphrase, bad data). */
export async function parseKey(
	data: Uint8Array | string,
	passphrase?: string,
): Promise<ParsedKey | Error> {
	const {ssh2} = await loadSsh();
	const result = ssh2.utils.parseKey(data, passphrase);
	if (result instanceof Error) {
		return result;
	}

	return Array.isArray(result)
		? (result[0] as ParsedKey)
		: (result as ParsedKey);
}
