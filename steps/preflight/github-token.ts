import type {Finding, Step} from '../../source/engine/step.js';
import {slugOf} from '../../source/github/client.js';
import {projectRepos, projectSlugs} from '../../source/github/context.js';
import {
	firstProjectPermissions,
	neededPermissions,
} from '../../source/github/permissions.js';
import {
	type ProbeReport,
	probeOtherRepo,
	probeToken,
} from '../../source/github/probe.js';

export const tokenPage =
	'https://github.com/settings/personal-access-tokens/new';

/** The probe as a table: one line per permission. */
export function probeTable(report: ProbeReport): string[] {
	return report.rows.map(
		row =>
			`${row.status.padEnd(7)} ${row.label} (${row.level}) — ${row.reason}`,
	);
}

export function probeFinding(report: ProbeReport): Finding {
	const who = [
		`${report.kind === 'unknown' ? 'token' : `${report.kind} token`}${report.login ? ` of ${report.login}` : ''}`,
		report.expiresAt ? `expires ${report.expiresAt}` : '',
	]
		.filter(Boolean)
		.join(', ');
	if (report.fatal) {
		return {
			kind: 'blocked',
			problem: report.fatal,
			hint: `Create a fine-grained token at ${tokenPage} (docs/github-token.md lists the permissions).`,
		};
	}

	const missing = report.rows.filter(row => row.status === 'missing');
	if (missing.length > 0) {
		return {
			kind: 'blocked',
			problem: `the ${who} lacks ${missing.map(row => row.label).join(', ')}`,
			hint: [
				report.kind === 'classic'
					? `Add the scopes: ${[...new Set(missing.map(row => row.scopes[0]))].join(', ')} (or use a fine-grained token: ${tokenPage}).`
					: `Edit the token (or create one at ${tokenPage}) and add, under Repository permissions:`,
				...missing.map(
					row =>
						`  ${row.label}: ${row.level === 'write' ? 'Read and write' : 'Read-only'} — ${row.why}`,
				),
				...probeTable(report),
			].join('\n'),
		};
	}

	return {kind: 'done', note: [who, ...probeTable(report)].join('\n')};
}

export const githubToken: Step = {
	id: 'preflight.github-token',
	phase: 'preflight',
	title: 'GitHub token permissions',
	reach: 'github',
	inputs: input => ({
		repo: input.github.repo,
		firstProject: input.github.firstProjectRepo,
		mode: input.mode,
	}),
	runbook: input => ({
		check: [
			'codex-k8s-install doctor   (shows each permission the token has and lacks)',
		],
		fix: [
			`create a fine-grained token for ${projectSlugs(input).join(' and ')} with the permissions of docs/github-token.md, and give it with --token-file, --token-stdin or CODEXK8S_GITHUB_TOKEN`,
			'see "GitHub token expired or refused" below',
		],
	}),
	describe: input => [
		`reads ${projectSlugs(input).join(' and ')} with the token, one request per permission, and writes nothing`,
	],
	async check(context) {
		// Only `--only preflight` gets here without them: the phases that use GitHub require both.
		if (!context.input.github.repo || !context.input.github.token) {
			return {
				kind: 'skipped',
				reason:
					'no GitHub repository or token given: give --repo and the token to check its permissions too',
			};
		}

		const [gh, other] = projectRepos(context.github(), context.input);
		const token = context.input.github.token ?? '';
		const report = await probeToken(
			gh!,
			token,
			neededPermissions(context.input),
			context.input.platform.baseBranch,
		);
		if (!other || report.fatal) {
			return probeFinding(report);
		}

		const extra = await probeOtherRepo(
			other,
			token,
			firstProjectPermissions(context.input),
		);
		return probeFinding({
			...report,
			fatal: extra.fatal,
			rows: [
				...report.rows,
				...extra.rows.map(row => ({
					...row,
					label: `${row.label} in ${slugOf(other)}`,
				})),
			],
		});
	},
};
