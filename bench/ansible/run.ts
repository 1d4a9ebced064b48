// Runs bench/ansible/host.yml with Debian's ansible-playbook and reads its time and SSH round trips.
import {spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {playbookVars, type PlaybookTarget} from './vars.js';

const playbook = fileURLToPath(new URL('host.yml', import.meta.url));

export type AnsibleTarget = PlaybookTarget & {
	host: string;
	port: number;
	keyPath: string;
};

export type PlaybookRun = {
	ms: number;
	roundTrips: number;
	changed: number;
	/** Each task's time, from the timestamps of Ansible's own log. */
	tasks: Array<{name: string; ms: number}>;
};

/** From one `TASK [name]` or `RUNNING HANDLER [name]` line of the log to the next: that task's time. */
export function taskTimes(log: string): PlaybookRun['tasks'] {
	const marks = [
		...log.matchAll(
			/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .*?\| (?:(?:TASK|RUNNING HANDLER) \[(.*?)]|PLAY RECAP)/gm,
		),
	].map(([, time, millis, name]) => ({
		name,
		at: Date.parse(`${time!.replace(' ', 'T')}.${millis!}Z`),
	}));
	return marks
		.slice(0, -1)
		.flatMap((mark, index) =>
			mark.name === undefined
				? []
				: [{name: mark.name, ms: marks[index + 1]!.at - mark.at}],
		);
}

/** Debian's ansible-core, installed when missing and allowed (root): nothing from PyPI. */
export function ensureAnsible(): string | undefined {
	const found = () =>
		spawnSync('ansible-playbook', ['--version'], {stdio: 'ignore'}).status ===
		0;
	if (found()) {
		return undefined;
	}

	if (process.getuid?.() === 0) {
		spawnSync(
			'apt-get',
			['install', '-y', '-qq', '--no-install-recommends', 'ansible-core'],
			{
				stdio: 'inherit',
				env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'},
			},
		);
	}

	return found()
		? undefined
		: 'ansible-playbook is missing: apt-get install --no-install-recommends ansible-core';
}

/**
 * One `ansible-playbook` run from a cold start: its own SSH control socket directory, so no
 * connection is kept from an earlier run (the installer connects afresh each run too). `-vvv`
 * logs every `ssh`/`sftp` it starts over the shared connection: those are its round trips.
 */
export async function runPlaybook(
	target: AnsibleTarget,
	pipelining: boolean,
): Promise<PlaybookRun> {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-ansible-'));
	const inventory = join(directory, 'inventory.ini');
	writeFileSync(
		inventory,
		[
			'[all]',
			[
				'target',
				`ansible_host=${target.host}`,
				`ansible_port=${target.port}`,
				'ansible_user=root',
				`ansible_ssh_private_key_file=${target.keyPath}`,
				'ansible_python_interpreter=/usr/bin/python3',
				"ansible_ssh_common_args='-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR'",
			].join(' '),
			'',
		].join('\n'),
	);
	// No user or system ansible.cfg changes what is measured.
	const config = join(directory, 'ansible.cfg');
	writeFileSync(config, '[defaults]\n');
	const vars = join(directory, 'vars.json');
	writeFileSync(vars, JSON.stringify(playbookVars(target)));
	const start = performance.now();
	const child = spawn(
		'ansible-playbook',
		['-vvv', '-i', inventory, '-e', `@${vars}`, playbook],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				...process.env,
				ANSIBLE_PIPELINING: pipelining ? 'True' : 'False',
				ANSIBLE_HOST_KEY_CHECKING: 'False',
				ANSIBLE_SSH_CONTROL_PATH_DIR: join(directory, 'cp'),
				ANSIBLE_LOCAL_TEMP: join(directory, 'tmp'),
				ANSIBLE_RETRY_FILES_ENABLED: 'False',
				ANSIBLE_NOCOLOR: '1',
				ANSIBLE_CONFIG: config,
				ANSIBLE_LOG_PATH: join(directory, 'ansible.log'),
			},
		},
	);
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	const [code] = (await once(child, 'close')) as [number];
	const ms = performance.now() - start;
	if (code !== 0) {
		throw new Error(`ansible-playbook exited ${code}:\n${output.slice(-3000)}`);
	}

	const recap = /target\s*:\s*ok=\d+\s+changed=(\d+)/.exec(output);
	return {
		ms,
		roundTrips: output.match(/ SSH: EXEC (?:ssh|sftp|scp) /g)?.length ?? 0,
		changed: Number(recap?.[1] ?? Number.NaN),
		tasks: taskTimes(readFileSync(join(directory, 'ansible.log'), 'utf8')),
	};
}
