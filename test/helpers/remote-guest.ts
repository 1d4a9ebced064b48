import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Guest} from './guest/index.js';

/** Scripts runScript tests run (test/helpers/remote-scripts/), instead of the product's own. */
export const testScripts = fileURLToPath(
	new URL('remote-scripts/', import.meta.url),
);

async function ok(
	guest: Guest,
	command: string,
	stdin?: string,
): Promise<string> {
	const result = await guest.exec(command, {stdin});
	if (result.code !== 0) {
		throw new Error(
			`guest command failed (${result.code}): ${command}\n${result.stderr}`,
		);
	}

	return result.stdout;
}

/** A login user with the given public keys and sudo rights. */
export async function addUser(
	guest: Guest,
	name: string,
	options: {
		keys: string[];
		sudo: 'none' | 'password' | 'nopasswd';
		password?: string;
	},
): Promise<void> {
	const groups = options.sudo === 'password' ? '-G sudo ' : '';
	await ok(guest, `useradd -m -s /bin/bash ${groups}${name}`);
	if (options.password) {
		await ok(guest, 'chpasswd', `${name}:${options.password}\n`);
	}

	if (options.sudo === 'nopasswd') {
		await ok(
			guest,
			`echo '${name} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/${name} && chmod 0440 /etc/sudoers.d/${name}`,
		);
	}

	await ok(
		guest,
		`install -d -m 700 -o ${name} -g ${name} /home/${name}/.ssh && cat > /home/${name}/.ssh/authorized_keys && chown ${name}: /home/${name}/.ssh/authorized_keys`,
		`${options.keys.join('\n')}\n`,
	);
}

export async function authorizeRootKey(
	guest: Guest,
	publicKey: string,
): Promise<void> {
	await ok(guest, 'cat >> /root/.ssh/authorized_keys', `${publicKey.trim()}\n`);
}

/** Makes sshd listen on `port` as well as 22. */
export async function listenAlsoOn(guest: Guest, port: number): Promise<void> {
	await ok(
		guest,
		String.raw`printf 'Port 22\nPort ${port}\n' > /etc/ssh/sshd_config.d/ports.conf && systemctl restart ssh.service && for i in $(seq 50); do ss -ltn | grep -q ':${port} ' && exit 0; sleep 0.1; done; exit 1`,
	);
}

/** The guest's ed25519 host key line (`ssh-ed25519 AAAA…`). */
export async function hostKeyLine(guest: Guest): Promise<string> {
	const text = await ok(guest, 'cat /etc/ssh/ssh_host_ed25519_key.pub');
	return text.trim().split(' ').slice(0, 2).join(' ');
}

export async function regenerateHostKeys(guest: Guest): Promise<void> {
	await ok(
		guest,
		'rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && systemctl restart ssh.service',
	);
}

/** Files under the places a run could leave something, to compare before and after. */
export async function fileSnapshot(guest: Guest): Promise<string> {
	return ok(
		guest,
		'find /tmp /var/tmp /root /home /etc /var/lib/codex-k8s-install -xdev 2>/dev/null | sort',
	);
}

/** A real ssh-agent on its own socket, holding `keys`; `stop` kills exactly that agent. */
export function startAgent(keys: string[]): {socket: string; stop(): void} {
	const directory = mkdtempSync(path.join(tmpdir(), 'ck8s-agent-'));
	const socket = path.join(directory, 'agent.sock');
	const started = spawnSync('ssh-agent', ['-a', socket, '-s'], {
		encoding: 'utf8',
	});
	const pid = /SSH_AGENT_PID=(\d+)/.exec(started.stdout)?.[1];
	if (started.status !== 0 || !pid) {
		throw new Error(`ssh-agent did not start: ${started.stderr}`);
	}

	const stop = () => {
		try {
			process.kill(Number(pid));
		} catch {}

		rmSync(directory, {recursive: true, force: true});
	};

	for (const key of keys) {
		const added = spawnSync('ssh-add', ['-q', key], {
			encoding: 'utf8',
			env: {...process.env, SSH_AUTH_SOCK: socket},
		});
		if (added.status !== 0) {
			stop();
			throw new Error(`ssh-add failed: ${added.stderr}`);
		}
	}

	return {socket, stop};
}

export const publicKeyOf = (publicPath: string) =>
	readFileSync(publicPath, 'utf8').trim();

/** The stdout of a command result, local or remote. */
export async function stdoutOf(
	result: Promise<{stdout: string}>,
): Promise<string> {
	const {stdout} = await result;
	return stdout;
}
