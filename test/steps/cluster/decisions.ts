import {createHash} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {parse} from 'yaml';
import {inputSchema, type Input} from '../../../source/config/schema.js';
import type {Host} from '../../../source/engine/host.js';
import {NotThereYetError} from '../../../source/errors.js';
import {pins} from '../../../source/pins.js';
import {
	parseChecksums,
	releaseBinaryName,
	verifyAirGap,
} from '../../../steps/cluster/air-gap.js';
import {
	type ClusterFacts,
	parseClusterFacts,
	parseK3sVersion,
} from '../../../steps/cluster/facts.js';
import {imageGcFinding} from '../../../steps/cluster/image-gc.js';
import {k3sFinding} from '../../../steps/cluster/k3s.js';
import {
	kubeconfigFinding,
	kubeconfigStep,
} from '../../../steps/cluster/kubeconfig.js';
import {clusterPaths} from '../../../steps/cluster/paths.js';
import {registryMirrorFinding} from '../../../steps/cluster/registry-mirror.js';
import {
	k3sConfig,
	kubeletDropIn,
	pruneTimer,
	registriesYaml,
} from '../../../steps/cluster/render.js';
import {fakeContext} from '../../helpers/fake-steps.js';

const input = (source: Record<string, unknown> = {}): Input =>
	inputSchema.parse({mode: 'local', ...source});

const facts = (overrides: Partial<ClusterFacts> = {}): ClusterFacts => ({
	...parseClusterFacts({}),
	nodeName: 'node-1',
	nodeIp: '192.0.2.10',
	machine: 'x86_64',
	...overrides,
});

/** A converged host: the pinned k3s running with the files as wanted. */
const converged = (wanted: Input, overrides: Partial<ClusterFacts> = {}) =>
	facts({
		k3sVersion: pins.k3s.version,
		unit: {load: 'loaded', active: 'active', invocation: 'abc'},
		kubeconfig: true,
		files: new Map([
			[clusterPaths.config, k3sConfig(wanted, '192.0.2.10')],
			[clusterPaths.registries, registriesYaml()],
			[clusterPaths.kubeletDropIn, kubeletDropIn(wanted)],
		]),
		...overrides,
	});

test('config.yaml: kubeconfig mode 600 and the node IP; local mode turns ServiceLB off, server mode names the domain', t => {
	const local = parse(k3sConfig(input(), '192.0.2.10')) as Record<
		string,
		unknown
	>;
	t.deepEqual(local, {
		'write-kubeconfig-mode': '0600',
		'node-ip': '192.0.2.10',
		disable: ['servicelb'],
	});
	const server = parse(
		k3sConfig(
			input({mode: 'server', domain: 'staging.example.com'}),
			'192.0.2.10',
		),
	) as Record<string, unknown>;
	t.deepEqual(server, {
		'write-kubeconfig-mode': '0600',
		'node-ip': '192.0.2.10',
		'tls-san': ['staging.example.com'],
	});
});

test('the kubelet drop-in and registries.yaml read back as the wanted objects', t => {
	t.deepEqual(parse(kubeletDropIn(input())), {
		apiVersion: 'kubelet.config.k8s.io/v1beta1',
		kind: 'KubeletConfiguration',
		imageGCHighThresholdPercent: 35,
		imageGCLowThresholdPercent: 30,
	});
	t.deepEqual(parse(registriesYaml()), {
		mirrors: {'127.0.0.1:5000': {endpoint: ['http://127.0.0.1:5000']}},
	});
	t.regex(pruneTimer(input()), /^OnCalendar=\*-\*-\* 04:17:00 UTC$/m);
});

test('the schema refuses GC thresholds with low not below high, out of range, and hostile calendars', t => {
	const issues = (cluster: Record<string, unknown>) => {
		const result = inputSchema.safeParse({cluster});
		return result.success
			? []
			: result.error.issues.map(issue => issue.path.join('.'));
	};

	t.deepEqual(issues({imageGcHigh: 40, imageGcLow: 40}), [
		'cluster.imageGcLow',
	]);
	t.deepEqual(issues({imageGcHigh: 30, imageGcLow: 35}), [
		'cluster.imageGcLow',
	]);
	t.deepEqual(issues({imageGcHigh: 101}), ['cluster.imageGcHigh']);
	t.deepEqual(issues({imageGcLow: 0}), ['cluster.imageGcLow']);
	t.deepEqual(issues({imageGcHigh: 80, imageGcLow: 60}), []);
	for (const calendar of [
		'daily; rm -rf /',
		'*-*-* 04:17:00\nExecStart=/bin/sh',
		'%h',
		String.raw`a\b`,
		'$(id)',
		' daily',
	]) {
		t.deepEqual(
			issues({imagePruneCalendar: calendar}),
			['cluster.imagePruneCalendar'],
			`refused: ${JSON.stringify(calendar)}`,
		);
	}

	t.deepEqual(issues({k3sInstallScriptSha256: 'abc'}), [
		'cluster.k3sInstallScriptSha256',
	]);
});

test('hostile text in the node IP or domain stays one quoted YAML scalar', t => {
	const text = k3sConfig(
		input({mode: 'server', domain: 'staging.example.com'}),
		'10.0.0.1\nwrite-kubeconfig-mode: "0644"',
	);
	const read = parse(text) as Record<string, unknown>;
	t.is(read['write-kubeconfig-mode'], '0600');
	t.is(read['node-ip'], '10.0.0.1\nwrite-kubeconfig-mode: "0644"');
});

test('facts: the k3s version, unit, node and operator copy are read from the probe', t => {
	t.is(
		parseK3sVersion({
			code: 0,
			output: 'k3s version v1.36.3+k3s1 (0123abcd)\ngo version go1.26.4\n',
		}),
		'v1.36.3+k3s1',
	);
	t.is(parseK3sVersion({code: 1, output: ''}), undefined);
	const read = parseClusterFacts({
		unit: {
			code: 0,
			output: 'LoadState=loaded\nActiveState=active\nInvocationID=1f2e\n',
		},
		node: {code: 0, output: 'guest-1\n10.1.2.3\n10.1.2.3\n'},
		operator: {
			code: 0,
			output:
				'home /home/codex\nmode /home/codex/.kube 700 codex\nmode /home/codex/.kube/config 600 codex\nsame\n',
		},
		timer: {code: 0, output: 'enabled\nactive\n'},
	});
	t.deepEqual(read.unit, {
		load: 'loaded',
		active: 'active',
		invocation: '1f2e',
	});
	t.is(read.nodeName, 'guest-1');
	t.is(read.nodeIp, '10.1.2.3');
	t.true(read.operator.same);
	t.is(read.operator.modes.get('/home/codex/.kube'), '700 codex');
	t.deepEqual(read.pruneTimer, {enabled: 'enabled', active: 'active'});
});

test('k3s: a converged host is done; a changed config restarts k3s; an installed k3s of another version is blocked unless moving is asked for', async t => {
	const wanted = input();
	const context = fakeContext({input: wanted});
	t.deepEqual(await k3sFinding(context, converged(wanted)), {kind: 'done'});
	t.deepEqual(
		await k3sFinding(context, converged(wanted, {nodeIp: '192.0.2.11'})),
		{
			kind: 'change',
			changes: [
				`update ${clusterPaths.config}`,
				'restart k3s (its config changed)',
			],
		},
	);
	const other = converged(wanted, {k3sVersion: 'v1.35.5+k3s1'});
	t.like(await k3sFinding(context, other), {
		kind: 'blocked',
		problem: `k3s v1.35.5+k3s1 is installed; this installer pins ${pins.k3s.version}. It is left as it is`,
	});
	const moving = fakeContext({
		input: input({
			cluster: {k3sMove: 'yes', k3sInstallScriptSha256: 'a'.repeat(64)},
		}),
	});
	const finding = await k3sFinding(moving, other);
	t.is(finding.kind, 'change');
	t.regex(
		finding.kind === 'change' ? finding.changes[0]! : '',
		/^move k3s v1\.35\.5\+k3s1 to v1\.36\.3\+k3s1/,
	);
});

test('k3s: air-gap inputs go together: one without the others is blocked, naming the missing flags', async t => {
	const finding = await k3sFinding(
		fakeContext({input: input({cluster: {k3sImages: '/tmp/images.tar.zst'}})}),
		facts(),
	);
	t.like(finding, {
		kind: 'blocked',
		problem:
			'an air-gap install needs the k3s binary, install script and checksum file together; missing: --k3s-binary, --k3s-install-script, --k3s-checksums',
	});
});

test('k3s: online without a pinned or given install script sum is blocked, saying why', async t => {
	t.is(pins.k3s.installScriptSha256, undefined);
	const finding = await k3sFinding(fakeContext({input: input()}), facts());
	t.like(finding, {kind: 'blocked'});
	t.regex(
		finding.kind === 'blocked' ? finding.problem : '',
		/install script is not pinned/,
	);
});

function release() {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-release-'));
	const write = (name: string, text: string) => {
		writeFileSync(join(directory, name), text);
		return createHash('sha256').update(text).digest('hex');
	};

	const binary = write('k3s', 'binary');
	const images = write('k3s-airgap-images-amd64.tar.zst', 'images');
	const script = write('install.sh', '#!/bin/sh\n');
	writeFileSync(
		join(directory, 'sha256sum-amd64.txt'),
		`${binary}  k3s\n${images}  k3s-airgap-images-amd64.tar.zst\n`,
	);
	return {
		directory,
		script,
		airGap: {
			binary: join(directory, 'k3s'),
			images: join(directory, 'k3s-airgap-images-amd64.tar.zst'),
			installScript: join(directory, 'install.sh'),
			checksums: join(directory, 'sha256sum-amd64.txt'),
		},
	};
}

test('air-gap files: checked against the release checksum file and the script sum; a tampered one is refused before anything is sent', async t => {
	const {directory, script, airGap} = release();
	const good = await verifyAirGap(airGap, 'x86_64', script);
	t.true('files' in good);
	writeFileSync(join(directory, 'k3s'), 'tampered');
	const tampered = await verifyAirGap(airGap, 'x86_64', script);
	t.regex(
		'problem' in tampered ? tampered.problem : '',
		/k3s does not match its SHA-256.*refused/,
	);
	const wrongScript = await verifyAirGap(
		{...airGap, binary: join(directory, 'install.sh')},
		'x86_64',
		'0'.repeat(64),
	);
	t.true('problem' in wrongScript);
	t.like(await verifyAirGap(airGap, 'aarch64', script), {
		problem: `${airGap.checksums} lists no k3s-arm64`,
	});
	t.is(releaseBinaryName('riscv64'), undefined);
	t.deepEqual(
		parseChecksums(`${'A'.repeat(64)} *dist/k3s\nnoise\n`),
		new Map([['k3s', 'a'.repeat(64)]]),
	);
});

test('image GC and the registry mirror restart k3s only when their file changes and k3s runs', t => {
	const wanted = input();
	const running = converged(wanted, {
		pruneTimer: {enabled: 'enabled', active: 'active'},
		files: new Map([
			[clusterPaths.kubeletDropIn, kubeletDropIn(wanted)],
			[clusterPaths.registries, registriesYaml()],
			[clusterPaths.pruneService, undefined],
			[clusterPaths.pruneTimer, undefined],
		]),
	});
	t.deepEqual(registryMirrorFinding(running), {kind: 'done'});
	const changed = input({cluster: {imageGcHigh: 80, imageGcLow: 70}});
	const gc = imageGcFinding(running, changed);
	t.true(
		gc.kind === 'change' &&
			gc.changes.includes(
				'restart k3s (the kubelet reads the drop-in at start)',
			),
	);
	const notInstalled = facts();
	t.deepEqual(registryMirrorFinding(notInstalled), {
		kind: 'new',
		changes: [`create ${clusterPaths.registries}`],
	});
	const first = imageGcFinding(notInstalled, wanted);
	t.false(
		first.kind === 'new' &&
			first.changes.some(line => line.includes('restart')),
	);
});

test('operator kubeconfig: blocked without the operator; modes and a stale copy are changes', t => {
	t.like(kubeconfigFinding(facts(), 'codex'), {kind: 'blocked'});
	const home = '/home/codex';
	const good = new Map([
		[`${home}/.kube`, '700 codex'],
		[`${home}/.kube/config`, '600 codex'],
	]);
	t.deepEqual(
		kubeconfigFinding(
			facts({kubeconfig: true, operator: {home, modes: good, same: true}}),
			'codex',
		),
		{kind: 'done'},
	);
	t.deepEqual(
		kubeconfigFinding(
			facts({
				kubeconfig: true,
				operator: {
					home,
					modes: new Map([
						[`${home}/.kube`, '755 codex'],
						[`${home}/.kube/config`, '644 root'],
					]),
					same: false,
				},
			}),
			'codex',
		),
		{
			kind: 'change',
			changes: [
				`${home}/.kube: mode 700, owned by codex`,
				`update ${home}/.kube/config (k3s's admin kubeconfig)`,
			],
		},
	);
});

test("operator kubeconfig: an operator this run's host phase creates is checked when the run gets there", async t => {
	const host = {facts: {read: async () => facts()}} as unknown as Host;
	const withHost = fakeContext({host, phases: ['host', 'cluster']});
	await t.throwsAsync(kubeconfigStep.check(withHost), {
		instanceOf: NotThereYetError,
	});
	const clusterOnly = fakeContext({host, phases: ['cluster']});
	t.like(await kubeconfigStep.check(clusterOnly), {kind: 'blocked'});
});
