// The host phase against real guests, beside the same hardening as an Ansible playbook, in one run:
// first apply and converged re-run, directly and through a +50 ms relay; Ansible with pipelining on
// and off. Prints one table (median times, SSH round trips, ratios) and the installer's slowest
// steps. docs/performance.md quotes it and says how to run it.
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {performance} from 'node:perf_hooks';
import {slowestSteps, formatTiming} from '../source/engine/timing.js';
import {root} from '../test/helpers/cli.js';
import {guestSupport} from '../test/helpers/guest/support.js';
import {startGuest, type Guest} from '../test/helpers/guest/with-guest.js';
import {ensureAnsible, type PlaybookRun, runPlaybook} from './ansible/run.js';
import {startLatencyRelay} from './latency-relay.js';
import {
	installerOn,
	median,
	seconds,
	type InstallerRun,
	type Route,
	type Sample,
} from './measure.js';

const runs = Math.max(3, Number(process.env['BENCH_RUNS'] ?? 3));
const support = guestSupport();
const missing = support.ok ? ensureAnsible() : support.reason;
if (missing) {
	console.error(
		`bench:host boots real guests and ${missing}. Run it as root on Linux: sudo npm run bench:host`,
	);
	process.exit(1);
}

// Always: a stale bundle would measure old code.
execFileSync('npm', ['run', '--silent', 'build'], {
	cwd: root,
	stdio: 'inherit',
});

const tools = [
	{name: 'codex-k8s-install', pipelining: undefined},
	{name: 'Ansible, pipelining on', pipelining: true},
	{name: 'Ansible, pipelining off', pipelining: false},
] as const;
const links = [
	{name: 'direct', delayMs: 0},
	{name: '+50 ms', delayMs: 50},
] as const;
const kinds = ['first apply', 'converged re-run'] as const;

type Key = `${string}|${string}|${string}`;
const samples = new Map<Key, Sample[]>();
const record = (key: Key, sample: Sample) => {
	samples.set(key, [...(samples.get(key) ?? []), sample]);
};

const logins = new Map<string, number[]>();
const installerRuns = new Map<Key, InstallerRun>();
const playbookRuns = new Map<Key, PlaybookRun>();

/** One `ssh root@guest true`: the floor under every remote tool. */
async function sshLogin(guest: Guest, route: Route): Promise<number> {
	const start = performance.now();
	const child = spawn(
		'ssh',
		[
			'-o',
			'BatchMode=yes',
			'-o',
			'StrictHostKeyChecking=no',
			'-o',
			'UserKnownHostsFile=/dev/null',
			'-o',
			'LogLevel=ERROR',
			'-i',
			guest.rootKeyPath,
			'-p',
			String(route.port),
			`root@${route.host}`,
			'true',
		],
		{stdio: 'ignore'},
	);
	const [code] = (await once(child, 'close')) as [number];
	if (code !== 0) {
		throw new Error(`ssh exited ${code}`);
	}

	return performance.now() - start;
}

async function measureOnFreshGuest(
	tool: (typeof tools)[number],
	link: (typeof links)[number],
): Promise<void> {
	const guest = await startGuest({});
	const relay =
		link.delayMs > 0
			? await startLatencyRelay(guest.address, guest.port, link.delayMs)
			: undefined;
	const route: Route = relay
		? {host: '127.0.0.1', port: relay.port}
		: {host: guest.address, port: guest.port};
	try {
		logins.set(link.name, [
			...(logins.get(link.name) ?? []),
			await sshLogin(guest, route),
		]);
		const run: () => Promise<
			Sample & Partial<InstallerRun> & Partial<PlaybookRun>
		> =
			tool.pipelining === undefined
				? installerOn(guest, route)
				: async () =>
						runPlaybook(
							{
								...route,
								keyPath: guest.rootKeyPath,
								operatorKey: guest.rootPublicKey,
								clientAddress: '10.213.0.1',
								aptProxy: guest.aptProxyUrl,
							},
							tool.pipelining,
						);
		for (const kind of kinds) {
			// eslint-disable-next-line no-await-in-loop -- one run after the other, on one guest
			const sample = await run();
			if (kind === 'converged re-run' && sample.changed !== 0) {
				throw new Error(
					`${tool.name}: not a converged re-run (${sample.changed} changed)`,
				);
			}

			const key: Key = `${link.name}|${kind}|${tool.name}`;
			record(key, sample);
			if (sample.steps) {
				installerRuns.set(key, {...sample, steps: sample.steps});
			}

			if (sample.tasks) {
				playbookRuns.set(key, {...sample, tasks: sample.tasks});
			}

			console.error(
				`  ${key.replaceAll('|', ' · ')}: ${seconds(sample.ms)}, ${sample.roundTrips} round trips, ${sample.changed} changed`,
			);
		}
	} finally {
		await relay?.close();
		await guest.destroy();
	}
}

const started = performance.now();
// Interleaved, so a machine that gets busier part-way slows every column alike.
for (let run = 1; run <= runs; run++) {
	console.error(`run ${run} of ${runs}`);
	for (const link of links) {
		for (const tool of tools) {
			// eslint-disable-next-line no-await-in-loop -- one guest at a time: they share 2 cores
			await measureOnFreshGuest(tool, link);
		}
	}
}

const middle = (key: Key, field: 'ms' | 'roundTrips') =>
	median((samples.get(key) ?? []).map(sample => sample[field]));
const rows = [
	'| link | run | tool | time | SSH round trips | Ansible ÷ installer |',
	'| --- | --- | --- | ---: | ---: | ---: |',
];
for (const link of links) {
	for (const kind of kinds) {
		const ours = middle(`${link.name}|${kind}|${tools[0].name}`, 'ms');
		for (const tool of tools) {
			const key: Key = `${link.name}|${kind}|${tool.name}`;
			const ms = middle(key, 'ms');
			rows.push(
				`| ${link.name} | ${kind} | ${tool.name} | ${seconds(ms)} | ${middle(key, 'roundTrips')} | ${tool.pipelining === undefined ? '—' : `${(ms / ours).toFixed(1)}×`} |`,
			);
		}
	}
}

console.log(
	`Host phase vs the same hardening in Ansible (${process.env['BENCH_LABEL'] ?? 'this machine'}; Node ${process.versions.node}; median of ${runs} runs, each on a fresh Debian 12 guest; ${Math.round((performance.now() - started) / 60_000)} min)\n`,
);
console.log(rows.join('\n'));
console.log(
	`\nOne ssh login (ssh root@guest true): ${links.map(link => `${link.name} ${seconds(median(logins.get(link.name) ?? []))}`).join(', ')}`,
);

for (const [link, kind] of [
	['direct', 'first apply'],
	['+50 ms', 'converged re-run'],
] as const) {
	const run = installerRuns.get(`${link}|${kind}|${tools[0].name}`);
	const playbook = playbookRuns.get(`${link}|${kind}|${tools[1].name}`);
	console.log(`\nSlowest steps, ${kind}, ${link} (last run):`);
	for (const step of slowestSteps(run?.steps ?? [])) {
		console.log(`  ${step.id.padEnd(26)} ${formatTiming(step.timing)}`);
	}

	if (run) {
		const inSteps = run.steps.reduce(
			(sum, step) =>
				sum +
				(step.timing
					? step.timing.checkMs + step.timing.applyMs + step.timing.verifyMs
					: 0),
			0,
		);
		console.log(
			`  outside the steps (Node start, SSH login, privilege check, host lock, the one probe of every step's facts): ${seconds(run.ms - inSteps)} of ${seconds(run.ms)}`,
		);
	}

	if (run && kind === 'first apply') {
		const apt = run.steps.find(step => step.id === 'host.base-packages');
		const aptMs = apt?.timing?.applyMs ?? 0;
		console.log(
			`  beside apt (the base packages' apply, ${seconds(aptMs)}): ${seconds(run.ms - aptMs)} of the installer's own (target ≤ 3 s)`,
		);
	}

	console.log(`Slowest tasks of ${tools[1].name}, same run:`);
	for (const task of (playbook?.tasks ?? [])
		.toSorted((a, b) => b.ms - a.ms)
		.slice(0, 5)) {
		console.log(`  ${task.name.padEnd(44)} ${seconds(task.ms)}`);
	}
}
