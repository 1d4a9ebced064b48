// The cluster phase's host steps on a real systemd guest over real SSH, installing a stand-in k3s
// release from local files (the air-gap path): its `k3s` runs the test cluster's real API server
// under the k3s.service the install script writes. See docs/cluster.md for what this proves.
import {copyFile, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import type {Input} from '../../../source/config/schema.js';
import type {UserError} from '../../../source/errors.js';
import {makePlan, type Plan} from '../../../source/engine/plan.js';
import {type RunResult, runSteps} from '../../../source/engine/runner.js';
import {
	conditionOf,
	type Kube,
	type KubeObject,
} from '../../../source/kube/index.js';
import {pins} from '../../../source/pins.js';
import {clusterSteps} from '../../../steps/cluster/index.js';
import {runClusterScript} from '../../../steps/cluster/common.js';
import {type Guest, guestTest, withGuest} from '../../helpers/guest/index.js';
import {
	guestInput,
	hostContext,
	operatorKeyPair,
	rootSession,
} from '../../helpers/host-phase.js';
import {
	airGapInputs,
	placeTestCluster,
	sha256,
	standInRelease,
} from '../../helpers/k3s-standin/release.js';
import {traefikReinstalledOnNewValues} from '../../helpers/k3s-standin/traefik-reinstall.js';

type Outcome = {
	plan: Plan;
	blocked: string[];
	result?: RunResult;
	roundTrips: number;
	statuses: Record<string, string>;
};

/** As `install --only cluster` runs: a plan first (a blocked step stops everything), then the run. */
async function runCluster(
	guest: Guest,
	input: Input,
	dryRun = false,
): Promise<Outcome> {
	const session = await rootSession(guest);
	try {
		const context = hostContext(session, input);
		// The host's steps: those of the cluster's objects are proven against the test cluster in
		// objects.ts and object-waits.ts.
		const steps = clusterSteps.filter(
			step => step.reach === 'host' && (!step.when || step.when(input)),
		);
		const plan = await makePlan(steps, context, {probe: true});
		const blocked = plan.steps.flatMap(step =>
			step.finding.kind === 'blocked'
				? [`${step.id}: ${step.finding.problem}`]
				: [],
		);
		if (blocked.length > 0) {
			return {
				plan,
				blocked,
				roundTrips: session.roundTrips,
				statuses: {},
			};
		}

		const {output: _, ...base} = context;
		const result = await runSteps(steps, base, {
			command: 'install',
			dryRun,
			plan,
			sink() {},
		});
		return {
			plan,
			blocked,
			result,
			roundTrips: session.roundTrips,
			statuses: Object.fromEntries(
				result.steps.map(step => [step.id, step.status]),
			),
		};
	} finally {
		await session.close();
	}
}

async function shell(t: ExecutionContext, guest: Guest, command: string) {
	const result = await guest.exec(command);
	t.is(result.code, 0, `${command}: ${result.stderr}`);
	return result.stdout.trim();
}

const invocation = async (t: ExecutionContext, guest: Guest) =>
	shell(t, guest, 'systemctl show -p InvocationID --value k3s.service');

/** Nothing of k3s's was put on the guest. */
async function untouched(guest: Guest): Promise<string> {
	const listed = await guest.exec(
		'ls -d /usr/local/bin/k3s /etc/systemd/system/k3s.service /etc/rancher/k3s/config.yaml /etc/rancher/k3s/registries.yaml /var/lib/codex-k8s-install/k3s-upload /var/log/k3s-standin-install.log 2>/dev/null',
	);
	return listed.stdout.trim();
}

async function withKube<T>(
	guest: Guest,
	input: Input,
	read: (kube: Kube) => Promise<T>,
): Promise<T> {
	const session = await rootSession(guest);
	try {
		return await read(await hostContext(session, input).host!.kube());
	} finally {
		await session.close();
	}
}

async function nodeReady(guest: Guest, input: Input): Promise<string> {
	const hostname = await guest.exec('hostname');
	return withKube(guest, input, async kube => {
		const node = await kube.read<KubeObject>(
			`/api/v1/nodes/${hostname.stdout.trim()}`,
		);
		return node ? (conditionOf(node, 'Ready')?.status ?? 'none') : 'absent';
	});
}

guestTest(
	'cluster phase on a guest: a stand-in k3s release installed from local files, converged re-runs, restarts only for changed files, another version left alone',
	async t => {
		t.timeout(30 * 60_000);
		const release = standInRelease(pins.k3s.version);
		await withGuest({}, async guest => {
			await placeTestCluster(guest);
			await shell(t, guest, 'useradd -m -s /bin/bash codex');
			// The stand-in k3s plays the bundled Traefik's helm-controller with curl (the host phase installs it).
			await shell(
				t,
				guest,
				'apt-get update -qq && apt-get install -y -qq --no-install-recommends curl',
			);
			const key = operatorKeyPair();
			const inputWith = (cluster: Record<string, unknown> = {}) =>
				guestInput(guest, key, {
					cluster: {...airGapInputs(release), ...cluster},
				});

			// A tampered binary or install script is refused before anything is sent or run.
			const tampered = standInRelease(pins.k3s.version);
			await writeFile(tampered.binary, '#!/bin/sh\necho tampered\n');
			const refusedBinary = await runCluster(
				guest,
				guestInput(guest, key, {cluster: airGapInputs(tampered)}),
			);
			t.is(refusedBinary.result, undefined);
			t.regex(
				refusedBinary.blocked.join('\n'),
				/^cluster\.k3s: .*k3s does not match its SHA-256 .*refused, nothing was sent or installed$/,
			);
			const refusedScript = await runCluster(
				guest,
				inputWith({k3sInstallScriptSha256: sha256('another script')}),
			);
			t.regex(
				refusedScript.blocked.join('\n'),
				/install\.sh does not match its SHA-256/,
			);
			t.is(await untouched(guest), '');

			// The host checks the uploaded files again: a file that differs there is refused too.
			const session = await rootSession(guest);
			try {
				const context = hostContext(session, inputWith());
				await session.exec(
					'install -d -m 0700 /var/lib/codex-k8s-install/k3s-upload',
					{root: true},
				);
				await session.upload(
					'#!/bin/sh\necho swapped on the way\n',
					'/var/lib/codex-k8s-install/k3s-upload/k3s',
					{mode: 0o600},
				);
				await session.upload(
					await readFile(release.installScript),
					'/var/lib/codex-k8s-install/k3s-upload/install.sh',
					{mode: 0o600},
				);
				const error = await t.throwsAsync<UserError>(
					runClusterScript(context, 'k3s', {
						CONFIG_TEXT: 'node-ip: 10.0.0.1',
						INSTALL: 'yes',
						SOURCE: 'air-gap',
						K3S_VERSION: pins.k3s.version,
						SCRIPT_SHA256: release.installScriptSha256,
						BINARY_NAME: 'k3s',
						BINARY_SHA256: sha256('the real one'),
					}),
				);
				t.regex(error?.hint ?? '', /the k3s binary: SHA-256 .* refused/);
			} finally {
				await session.close();
			}

			t.is(
				await untouched(guest),
				'/var/lib/codex-k8s-install/k3s-upload',
				'nothing but the upload itself',
			);
			await shell(t, guest, 'rm -rf /var/lib/codex-k8s-install/k3s-upload');

			// First install: k3s starts once, with the mirror and the drop-in already in place.
			const input = inputWith();
			const first = await runCluster(guest, input);
			t.deepEqual(first.blocked, []);
			t.true(first.result?.ok, String(first.result?.error));
			t.deepEqual(first.statuses, {
				'cluster.registry-mirror': 'changed',
				'cluster.image-gc': 'changed',
				'cluster.k3s': 'changed',
				'cluster.kubeconfig': 'changed',
			});
			t.is(await shell(t, guest, 'systemctl is-active k3s.service'), 'active');
			t.regex(
				await shell(t, guest, '/usr/local/bin/k3s --version'),
				/^k3s version v1\.36\.3\+k3s1/,
			);
			t.is(
				await shell(t, guest, 'cat /var/log/k3s-standin-install.log'),
				`run INSTALL_K3S_VERSION=${pins.k3s.version} EXEC=server\nrestart`,
			);
			t.regex(
				await shell(t, guest, 'cat /etc/rancher/k3s/config.yaml'),
				/^write-kubeconfig-mode: "0600"\nnode-ip: "[\d.]+"\ndisable:\n {2}- servicelb$/m,
			);
			t.is(
				await shell(
					t,
					guest,
					'stat -c "%a %U" /home/codex/.kube /home/codex/.kube/config; cmp /etc/rancher/k3s/k3s.yaml /home/codex/.kube/config && echo same',
				),
				'700 codex\n600 codex\nsame',
			);
			t.is(
				await shell(t, guest, 'ls /var/lib/rancher/k3s/agent/images'),
				'k3s-airgap-images-amd64.tar.zst',
			);
			t.is(
				await shell(
					t,
					guest,
					'systemctl is-enabled codex-k8s-image-prune.timer; test -e /var/lib/codex-k8s-install/k3s-upload || echo staging-gone',
				),
				'enabled\nstaging-gone',
			);
			t.is(await nodeReady(guest, input), 'True');
			await withKube(guest, input, async kube =>
				traefikReinstalledOnNewValues(guest, kube, input),
			);
			const started = await invocation(t, guest);

			// A converged re-run: planned and run, nothing to do, within the round-trip budget.
			const planned = await runCluster(guest, input, true);
			t.is(planned.result?.changes, 0);
			t.true(planned.roundTrips <= 3, `${planned.roundTrips} round trips`);
			const again = await runCluster(guest, input);
			t.is(again.result?.changes, 0);
			t.true(again.roundTrips <= 3, `${again.roundTrips} round trips`);
			t.is(await invocation(t, guest), started);

			// A prune time is not read by k3s: no restart. The GC thresholds are: one restart.
			const calendar = inputWith({imagePruneCalendar: '*-*-* 05:30:00 UTC'});
			const retimed = await runCluster(guest, calendar);
			t.like(retimed.statuses, {
				'cluster.image-gc': 'changed',
				'cluster.k3s': 'done',
				'cluster.registry-mirror': 'done',
			});
			t.is(await invocation(t, guest), started);
			const thresholds = inputWith({
				imagePruneCalendar: '*-*-* 05:30:00 UTC',
				imageGcHigh: 80,
				imageGcLow: 70,
			});
			const gc = await runCluster(guest, thresholds);
			t.is(gc.result?.changes, 1);
			const afterGc = await invocation(t, guest);
			t.not(afterGc, started);
			t.is(await nodeReady(guest, thresholds), 'True');

			// Registries.yaml changed behind the installer's back: restored, and one restart.
			await shell(
				t,
				guest,
				'echo "mirrors: {}" > /etc/rancher/k3s/registries.yaml',
			);
			const mirror = await runCluster(guest, thresholds);
			t.like(mirror.statuses, {
				'cluster.registry-mirror': 'changed',
				'cluster.image-gc': 'done',
				'cluster.k3s': 'done',
			});
			const afterMirror = await invocation(t, guest);
			t.not(afterMirror, afterGc);
			const settled = await runCluster(guest, thresholds);
			t.is(settled.result?.changes, 0);
			t.is(await invocation(t, guest), afterMirror);

			// Another version of k3s is reported and left alone; moved only when asked.
			const older = standInRelease('v1.35.5+k3s1');
			await copyFile(older.binary, join(guest.rootDir, 'usr/local/bin/k3s'));
			const binarySum = await shell(t, guest, 'sha256sum /usr/local/bin/k3s');
			const other = await runCluster(guest, thresholds);
			t.deepEqual(other.blocked, [
				`cluster.k3s: k3s v1.35.5+k3s1 is installed; this installer pins ${pins.k3s.version}. It is left as it is`,
			]);
			t.is(await shell(t, guest, 'sha256sum /usr/local/bin/k3s'), binarySum);
			t.is(await invocation(t, guest), afterMirror);
			const moved = await runCluster(
				guest,
				inputWith({
					imagePruneCalendar: '*-*-* 05:30:00 UTC',
					imageGcHigh: 80,
					imageGcLow: 70,
					k3sMove: 'yes',
				}),
			);
			t.like(moved.statuses, {'cluster.k3s': 'changed'});
			t.regex(
				await shell(t, guest, '/usr/local/bin/k3s --version'),
				/^k3s version v1\.36\.3\+k3s1/,
			);

			// Server mode: ServiceLB stays on and the API certificate names the domain; config.yaml
			// changed, so k3s restarts once.
			const beforeServer = await invocation(t, guest);
			const server = await runCluster(
				guest,
				guestInput(guest, key, {
					mode: 'server',
					domain: 'staging.example.com',
					cluster: {
						...airGapInputs(release),
						imagePruneCalendar: '*-*-* 05:30:00 UTC',
						imageGcHigh: 80,
						imageGcLow: 70,
					},
				}),
			);
			t.like(server.statuses, {'cluster.k3s': 'changed'});
			t.deepEqual(
				server.result?.steps.find(step => step.id === 'cluster.k3s')?.changes,
				[
					'update /etc/rancher/k3s/config.yaml',
					'restart k3s (its config changed)',
				],
			);
			t.regex(
				await shell(t, guest, 'cat /etc/rancher/k3s/config.yaml'),
				/\ntls-san:\n {2}- staging\.example\.com$/,
			);
			t.not(await invocation(t, guest), beforeServer);
		});
	},
);
