import {Buffer} from 'node:buffer';
import {isIP} from 'node:net';
import type {Input} from '../../source/config/schema.js';
import {shellWord} from '../../source/encode/index.js';
import type {ProbeSet} from '../../source/engine/host.js';
import type {StepContext} from '../../source/engine/step.js';
import type {ProbeResult} from '../../source/remote/types.js';
import {hostOf} from '../kit.js';
import {clusterPaths, readFiles} from './paths.js';

/** What every cluster step's host check reads: ONE round trip for the phase, sent with the others. */
export type ClusterFacts = {
	/** Managed file texts by path; `undefined` when the file does not exist. */
	files: Map<string, string | undefined>;
	/** `k3s --version`'s version (`v1.36.3+k3s1`), or undefined when no k3s binary is installed. */
	k3sVersion?: string;
	/** The k3s.service unit as systemd sees it. */
	unit: {load: string; active: string; invocation: string};
	/** Whether k3s wrote its kubeconfig (k3s.yaml). */
	kubeconfig: boolean;
	/** The node's name as k3s registers it (the host name) and the address k3s should use. */
	nodeName: string;
	nodeIp?: string;
	/** `uname -m`. */
	machine: string;
	/** The operator's copy of the kubeconfig. */
	operator: {
		home?: string;
		/** `mode owner` of ~/.kube and ~/.kube/config. */
		modes: Map<string, string>;
		/** The copy is byte for byte k3s.yaml. */
		same: boolean;
	};
	/** `is-enabled` and `is-active` of the prune timer. */
	pruneTimer: {enabled: string; active: string};
};

const q = shellWord;

export const pruneTimerUnit = 'codex-k8s-image-prune.timer';

/** The read-only snippets. The operator's name is schema-validated; paths come from paths.ts. */
export function clusterProbes(user: string): Record<string, string> {
	const files = readFiles.map(path => q(path)).join(' ');
	const binary = q(clusterPaths.binary);
	const kubeconfig = q(clusterPaths.kubeconfig);
	return {
		files: String.raw`for f in ${files}; do if [ -f "$f" ]; then printf '%s %s\n' "$f" "$(base64 -w0 < "$f")"; fi; done`,
		version: `[ -x ${binary} ] && ${binary} --version 2>/dev/null | head -n 1`,
		unit: 'systemctl show -p LoadState -p ActiveState -p InvocationID k3s.service 2>/dev/null || true',
		kubeconfig: `test -s ${kubeconfig}`,
		node: String.raw`hostname; ip -o -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([^ ]*\).*/\1/p'; hostname -I 2>/dev/null | cut -d' ' -f1`,
		machine: 'uname -m',
		operator: String.raw`h=$(getent passwd ${q(user)} | cut -d: -f6); if [ -n "$h" ]; then echo "home $h"; stat -c 'mode %n %a %U' "$h/.kube" "$h/.kube/config" 2>/dev/null; if cmp -s ${kubeconfig} "$h/.kube/config"; then echo same; fi; fi; true`,
		timer: String.raw`printf '%s\n%s\n' "$(systemctl is-enabled ${pruneTimerUnit} 2>/dev/null)" "$(systemctl is-active ${pruneTimerUnit} 2>/dev/null)"`,
	};
}

const lines = (text = '') =>
	text
		.split('\n')
		.map(line => line.trimEnd())
		.filter(Boolean);

function parseFiles(output?: string) {
	const files = new Map<string, string | undefined>(
		readFiles.map(path => [path, undefined]),
	);
	for (const line of lines(output)) {
		const [path = '', encoded = ''] = line.split(' ');
		files.set(path, Buffer.from(encoded, 'base64').toString('utf8'));
	}

	return files;
}

function parseUnit(output = '') {
	const value = (name: string) =>
		new RegExp(`^${name}=(.*)$`, 'm').exec(output)?.[1] ?? '';
	return {
		load: value('LoadState'),
		active: value('ActiveState'),
		invocation: value('InvocationID'),
	};
}

/** `k3s version v1.36.3+k3s1 (abcdef12)` → `v1.36.3+k3s1`. */
export function parseK3sVersion(result?: ProbeResult): string | undefined {
	if (result?.code !== 0) {
		return undefined;
	}

	return /^k3s version (v\S+)/.exec(result.output.trim())?.[1];
}

function parseOperator(output?: string): ClusterFacts['operator'] {
	const operator: ClusterFacts['operator'] = {modes: new Map(), same: false};
	for (const line of lines(output)) {
		const [kind = '', ...rest] = line.split(' ');
		if (kind === 'home') {
			operator.home = rest.join(' ');
		} else if (kind === 'mode' && rest.length >= 3) {
			const owner = rest.pop()!;
			const mode = rest.pop()!;
			operator.modes.set(rest.join(' '), `${mode} ${owner}`);
		} else if (kind === 'same') {
			operator.same = true;
		}
	}

	return operator;
}

export function parseClusterFacts(
	results: Record<string, ProbeResult>,
): ClusterFacts {
	const [nodeName = '', ...addresses] = lines(results['node']?.output);
	const [enabled = '', active = ''] = (results['timer']?.output ?? '').split(
		'\n',
	);
	return {
		files: parseFiles(results['files']?.output),
		k3sVersion: parseK3sVersion(results['version']),
		unit: parseUnit(results['unit']?.output),
		kubeconfig: results['kubeconfig']?.code === 0,
		// The kubelet registers the host name in lower case.
		nodeName: nodeName.toLowerCase(),
		nodeIp: addresses.find(address => isIP(address) !== 0),
		machine: (results['machine']?.output ?? '').trim(),
		operator: parseOperator(results['operator']?.output),
		pruneTimer: {enabled: enabled.trim(), active: active.trim()},
	};
}

/** What the cluster steps' checks read: sent ahead with the other facts when planning. */
export const clusterProbeSet = (input: Input): ProbeSet<ClusterFacts> => ({
	name: 'cluster',
	snippets: async () => clusterProbes(input.operator.user),
	parse: ({results}) => parseClusterFacts(results),
});

export async function clusterFacts(
	context: StepContext,
): Promise<ClusterFacts> {
	return hostOf(context).facts.read(
		clusterProbeSet(context.input),
		context.signal,
	);
}
