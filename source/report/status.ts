import type {Input} from '../config/schema.js';
import {allWell, type CheckResult} from '../engine/check.js';

/** The installation's non-secret answers, as `status` shows them. */
export function installationAnswers(input: Input): Record<string, string> {
	const {connection, operator, github, platform, runner} = input;
	return {
		host: connection.host ?? '',
		port: String(connection.port ?? 22),
		user: connection.user ?? 'root',
		operator: operator.user,
		mode: input.mode ?? '',
		...(input.mode === 'server' ? {domain: input.domain ?? ''} : {}),
		repository: github.repo ?? '',
		platformNamespace: platform.namespace,
		runnerNamespace: runner.namespace,
		scaleSet: runner.scaleSetName,
	};
}

export type StatusDocument = {
	command: 'status';
	target: string;
	/** Nothing failed: the exit code is 0. */
	ok: boolean;
	inCluster: boolean;
	/** SSH round trips the checks cost (absent inside the cluster). */
	roundTrips?: number;
	versions: Record<string, string>;
	answers: Record<string, string>;
	checks: CheckResult[];
	/** The checks that failed, by id: what a script reads first. */
	failed: string[];
};

export function statusDocument(parts: {
	target: string;
	inCluster: boolean;
	roundTrips?: number;
	installer: string;
	input: Input;
	results: CheckResult[];
}): StatusDocument {
	const versions: Record<string, string> = {
		'codex-k8s-install': parts.installer,
	};
	for (const result of parts.results) {
		Object.assign(versions, result.versions ?? {});
	}

	return {
		command: 'status',
		target: parts.target,
		ok: allWell(parts.results),
		inCluster: parts.inCluster,
		...(parts.roundTrips === undefined ? {} : {roundTrips: parts.roundTrips}),
		versions,
		answers: installationAnswers(parts.input),
		checks: parts.results.map(({versions: _, ...result}) => result),
		failed: parts.results
			.filter(result => result.status === 'failed')
			.map(result => result.id),
	};
}

const marks = {ok: '✔', failed: '✖', absent: '-', skipped: '-'} as const;
const words = {
	ok: '',
	failed: '',
	absent: 'not installed: ',
	skipped: 'not checked: ',
} as const;

/** The compact view: one line per check, the runbook section under a failure. */
export function statusText(document: StatusDocument): string {
	const width = Math.max(...document.checks.map(check => check.title.length));
	const lines = [
		`Status of ${document.target}${document.inCluster ? ' (in the cluster)' : ''}`,
	];
	for (const check of document.checks) {
		lines.push(
			`${marks[check.status]} ${check.title.padEnd(width)}  ${words[check.status]}${check.detail}`,
		);
		if (check.status === 'failed') {
			lines.push(`    → Runbook: ${check.runbookSection}`);
		}
	}

	lines.push(
		`Versions: ${Object.entries(document.versions)
			.map(([name, version]) => `${name} ${version}`)
			.join(' · ')}`,
		`Answers: ${Object.entries(document.answers)
			.filter(([, value]) => value !== '')
			.map(([name, value]) => `${name} ${value}`)
			.join(' · ')}`,
		document.ok
			? 'All is well.'
			: `${document.failed.length} check${document.failed.length === 1 ? '' : 's'} failed: ${document.failed.join(', ')}`,
	);
	return `${lines.join('\n')}\n`;
}
