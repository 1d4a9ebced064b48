import {UserError} from '../../source/errors.js';
import {pins} from '../../source/pins.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {
	changes,
	fileChange,
	hostOf,
	sshCommand,
	verifyConverged,
} from '../kit.js';
import {k3sRemoval} from '../kit-remove.js';
import {
	airGapOf,
	missingAirGapInputs,
	verifyAirGap,
	type AirGapFiles,
} from './air-gap.js';
import {runClusterScript, waitForOwnNode} from './common.js';
import {type ClusterFacts, clusterFacts, clusterProbeSet} from './facts.js';
import {clusterPaths} from './paths.js';
import {k3sConfig} from './render.js';

const pinned = pins.k3s.version;

const scriptSha256 = (context: StepContext) =>
	context.input.cluster.k3sInstallScriptSha256 ?? pins.k3s.installScriptSha256;

/** An installed k3s of another version is reported and left alone unless moving it was asked for. */
function otherVersion(
	facts: ClusterFacts,
	context: StepContext,
): Finding | undefined {
	const installed = facts.k3sVersion;
	if (
		installed === undefined ||
		installed === pinned ||
		context.input.cluster.k3sMove === 'yes'
	) {
		return undefined;
	}

	return {
		kind: 'blocked',
		problem: `k3s ${installed} is installed; this installer pins ${pinned}. It is left as it is`,
		hint: `To move it to ${pinned}, run again with --k3s-move yes (CODEXK8S_K3S_MOVE=yes): k3s restarts on the new version and keeps its data. Read k3s's upgrade notes first when the minor version changes.`,
	};
}

/** Where the release comes from, checked before the plan says it can be installed. */
async function sourceProblem(
	context: StepContext,
	facts: ClusterFacts,
): Promise<Finding | undefined> {
	const airGap = airGapOf(context.input);
	if (airGap) {
		const verified = await verifyAirGap(
			airGap,
			facts.machine,
			scriptSha256(context),
		);
		return 'problem' in verified
			? {kind: 'blocked', problem: verified.problem, hint: verified.hint}
			: undefined;
	}

	if (!scriptSha256(context)) {
		return {
			kind: 'blocked',
			problem: `the SHA-256 of k3s ${pinned}'s install script is not pinned in this version of the installer, so it is not downloaded`,
			hint: `Install from local files (--k3s-binary, --k3s-install-script, --k3s-checksums), or check ${pins.k3s.installScriptUrl} yourself and give its sum as CODEXK8S_K3S_INSTALL_SCRIPT_SHA256 (docs/cluster.md).`,
		};
	}

	return undefined;
}

const needsInstall = (facts: ClusterFacts) =>
	facts.k3sVersion !== pinned || facts.unit.load !== 'loaded';

/** The finding for given facts: a pure decision but for reading the operator's air-gap files. */
export async function k3sFinding(
	context: StepContext,
	facts: ClusterFacts,
): Promise<Finding> {
	const missing = missingAirGapInputs(context.input);
	if (missing.length > 0) {
		return {
			kind: 'blocked',
			problem: `an air-gap install needs the k3s binary, install script and checksum file together; missing: ${missing.join(', ')}`,
			hint: 'Give all three (and the images tarball if you have it), or none to install online. See docs/cluster.md.',
		};
	}

	const other = otherVersion(facts, context);
	if (other) {
		return other;
	}

	if (!facts.nodeIp) {
		return {
			kind: 'blocked',
			problem:
				'the host has no IPv4 address with a route to tell k3s as its node IP',
			hint: 'Check `ip route` on the host: k3s needs a default route.',
		};
	}

	const list: string[] = [];
	const install = needsInstall(facts);
	if (install) {
		const problem = await sourceProblem(context, facts);
		if (problem) {
			return problem;
		}

		const from = airGapOf(context.input)
			? 'from the local files, checked against their SHA-256'
			: "with the install script from its tag, SHA-256 checked; the binary checked against the release's sha256sum file";
		list.push(
			facts.k3sVersion
				? `move k3s ${facts.k3sVersion} to ${pinned} ${from}`
				: `install k3s ${pinned} ${from}`,
		);
	}

	const config = fileChange(
		facts,
		clusterPaths.config,
		k3sConfig(context.input, facts.nodeIp),
	);
	list.push(...config);
	if (!install && config.length > 0 && facts.unit.active === 'active') {
		list.push('restart k3s (its config changed)');
	} else if (!install && facts.unit.active !== 'active') {
		list.push('start k3s');
	}

	return changes(list, facts.k3sVersion !== undefined);
}

async function upload(context: StepContext, files: AirGapFiles): Promise<void> {
	const {session} = hostOf(context);
	await session.exec(`install -d -m 0700 ${clusterPaths.staging}`, {
		root: true,
		signal: context.signal,
	});
	/* eslint-disable no-await-in-loop -- one large file at a time */
	for (const file of [files.installScript, files.binary, files.images]) {
		if (file) {
			context.output(`uploading ${file.local}`);
			await session.uploadFile(
				file.local,
				`${clusterPaths.staging}/${file.name}`,
				{mode: 0o600},
			);
		}
	}
	/* eslint-enable no-await-in-loop */
}

export const k3sStep: Step = {
	id: 'cluster.k3s',
	phase: 'cluster',
	title: `k3s ${pinned}`,
	reach: 'host',
	replansLater: true,
	inputs: input => ({
		version: pinned,
		mode: input.mode,
		domain: input.domain,
		airGap: airGapOf(input) !== undefined,
	}),
	probes: clusterProbeSet,
	// K3s's own uninstall script; the registry's later steps (the runner's charts) go first.
	remove: k3sRemoval,
	describe: input => [
		`k3s ${pinned}: ${airGapOf(input) ? 'from local files (air-gap), uploaded and checked against their SHA-256' : `install script from the ${pinned} tag, checked against its pinned SHA-256 before it runs; the binary checked against the release's sha256sum file`}`,
		`flags in ${clusterPaths.config}, none on the command line: kubeconfig mode 600, the node IP${input.mode === 'server' ? ', the domain in the API certificate' : ', ServiceLB off (nothing published)'}`,
		'waits for the node to register, then to be Ready',
		'a k3s of another version is reported and left alone unless --k3s-move yes',
	],
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'k3s --version; systemctl status k3s; sudo k3s kubectl get nodes'`,
		],
		fix: [
			`k3s reads its flags from ${clusterPaths.config} at start: run install again to rewrite it, or sudo systemctl restart k3s after a change by hand`,
			'a k3s of another version is left alone: run install with --k3s-move yes to move it to the pinned one (docs/cluster.md)',
			'logs: sudo journalctl -u k3s',
		],
	}),
	async check(context) {
		return k3sFinding(context, await clusterFacts(context));
	},
	async apply(context) {
		const facts = await clusterFacts(context);
		const install = needsInstall(facts);
		const airGap = airGapOf(context.input);
		const values: Record<string, string> = {
			CONFIG_TEXT: k3sConfig(context.input, facts.nodeIp ?? '').trimEnd(),
			INSTALL: install ? 'yes' : 'no',
			SOURCE: airGap ? 'air-gap' : 'online',
			K3S_VERSION: pinned,
			SCRIPT_URL: pins.k3s.installScriptUrl,
			SCRIPT_SHA256: scriptSha256(context) ?? '',
			HTTP_PROXY_URL: context.input.proxy.http ?? '',
			HTTPS_PROXY_URL: context.input.proxy.https ?? '',
			NO_PROXY_LIST: context.input.proxy.noProxy ?? '',
		};
		if (install && airGap) {
			const verified = await verifyAirGap(
				airGap,
				facts.machine,
				scriptSha256(context),
			);
			if ('problem' in verified) {
				throw new UserError(verified.problem, {hint: verified.hint});
			}

			const {files} = verified;
			await upload(context, files);
			values['SCRIPT_SHA256'] = files.installScript.sha256;
			values['BINARY_NAME'] = files.binary.name;
			values['BINARY_SHA256'] = files.binary.sha256;
			values['IMAGES_NAME'] = files.images?.name ?? '';
			values['IMAGES_SHA256'] = files.images?.sha256 ?? '';
		}

		await runClusterScript(context, 'k3s', values);
	},
	async verify(context) {
		await verifyConverged(k3sStep, context);
		await waitForOwnNode(context);
	},
};
