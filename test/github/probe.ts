/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-dynamic-delete */
// Parsed YAML and ava contexts are loosely typed on purpose here; assertions check their shape.
import test from 'ava';
import {
	allPermissions,
	neededPermissions,
} from '../../source/github/permissions.js';
import {probeToken} from '../../source/github/probe.js';
import {githubToken, probeFinding} from '../../steps/preflight/github-token.js';
import {standInClient, standInContext} from '../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {allFine} from '../helpers/github/tokens.js';

async function probe(t: any, token: string, spec?: any, extra = {}) {
	const standIn = await startGitHubStandIn(
		spec ? {tokens: {[token]: spec}} : {},
	);
	t.teardown(async () => standIn.close());
	const {gh, input} = standInClient(standIn, token, extra);
	const report = await probeToken(gh, token, neededPermissions(input));
	t.deepEqual(standIn.violations, []);
	t.deepEqual(standIn.writes(), [], 'the probe writes nothing');
	return {report, standIn};
}

test('full fine-grained token: all present, workflows unknown, expiry shown', async t => {
	const {report} = await probe(
		t,
		'github_pat_exp',
		{
			kind: 'fine-grained',
			permissions: allFine,
			expires: '2026-09-01 00:00:00 UTC',
		},
		{mode: 'server', domain: 'staging.example.com'},
	);
	t.is(report.kind, 'fine-grained');
	t.is(report.expiresAt, '2026-09-01 00:00:00 UTC');
	const statuses = Object.fromEntries(
		report.rows.map(row => [row.permission, row.status]),
	);
	t.deepEqual(statuses, {
		metadata: 'present',
		contents: 'present',
		workflows: 'unknown',
		actions_variables: 'present',
		repository_hooks: 'present',
		issues: 'present',
		administration: 'present',
		actions: 'present',
	});
	t.is(probeFinding(report).kind, 'done');
});

for (const need of allPermissions.filter(
	item => !['metadata', 'workflows'].includes(item.permission),
)) {
	test(`missing ${need.permission}: reported with GitHub's accepted-permissions header, install blocked`, async t => {
		const permissions: Partial<typeof allFine> = {...allFine};
		delete permissions[need.permission];
		// Labels accept Pull requests instead of Issues, as GitHub does: take both away.
		if (need.permission === 'issues') {
			delete permissions.pull_requests;
		}

		const {report} = await probe(
			t,
			'github_pat_partial',
			{kind: 'fine-grained', permissions},
			{mode: 'server', domain: 'staging.example.com'},
		);
		const missing = report.rows.filter(row => row.status === 'missing');
		t.deepEqual(
			missing.map(row => row.permission),
			[need.permission],
		);
		t.regex(
			missing[0]!.reason,
			new RegExp(`403: GitHub asks for ${need.permission}=read`),
		);
		const finding = probeFinding(report);
		t.is(finding.kind, 'blocked');
		t.true(
			finding.kind === 'blocked' &&
				finding.hint!.includes(`${need.label}: Read and write`),
		);
	});
}

test('missing permission shown as 404 by GitHub is still reported missing, with the reason', async t => {
	const permissions: Partial<typeof allFine> = {...allFine};
	delete permissions.actions_variables;
	const {report} = await probe(t, 'github_pat_404', {
		kind: 'fine-grained',
		permissions,
		missingAs404: ['actions_variables'],
	});
	const row = report.rows.find(
		item => item.permission === 'actions_variables',
	)!;
	t.is(row.status, 'missing');
	t.regex(row.reason, /404/);
});

test('classic token: kind from X-OAuth-Scopes, missing workflow scope reported', async t => {
	const {report} = await probe(t, 'ghp_classic', {
		kind: 'classic',
		scopes: ['repo'],
	});
	t.is(report.kind, 'classic');
	t.deepEqual(report.scopes, ['repo']);
	t.deepEqual(
		report.rows
			.filter(row => row.status === 'missing')
			.map(row => row.permission),
		['workflows'],
	);
	const finding = probeFinding(report);
	t.true(finding.kind === 'blocked' && finding.hint!.includes('workflow'));
});

test('protected base branch: Pull requests joins the needs and is checked; unprotected, it is not asked for', async t => {
	const permissions: Partial<typeof allFine> = {...allFine};
	delete permissions.pull_requests;
	const token = 'github_pat_no_pulls';
	const standIn = await startGitHubStandIn({
		tokens: {[token]: {kind: 'fine-grained', permissions}},
	});
	t.teardown(async () => standIn.close());
	const {gh, input} = standInClient(standIn, token);
	const open = await probeToken(gh, token, neededPermissions(input));
	t.false(open.rows.some(row => row.permission === 'pull_requests'));
	t.is(probeFinding(open).kind, 'done');

	standIn.repo.protectedBranches.add('main');
	const guarded = await probeToken(gh, token, neededPermissions(input));
	const row = guarded.rows.find(item => item.permission === 'pull_requests');
	t.is(row?.status, 'missing');
	t.regex(row!.reason, /403: GitHub asks for pull_requests=read/);
	const finding = probeFinding(guarded);
	t.true(
		finding.kind === 'blocked' &&
			finding.hint!.includes(
				'Pull requests: Read and write — the base branch is protected',
			),
	);

	const full = await probeToken(
		standInClient(standIn, fullToken).gh,
		fullToken,
		neededPermissions(input),
	);
	t.is(
		full.rows.find(item => item.permission === 'pull_requests')?.status,
		'present',
	);
	t.deepEqual(standIn.violations, []);
	t.deepEqual(standIn.writes(), [], 'the probe writes nothing');
});

test('expired token: 401, blocked with a plain reason', async t => {
	const {report} = await probe(t, 'github_pat_old', {kind: 'expired'});
	t.regex(report.fatal!, /401.*expired/);
	t.is(probeFinding(report).kind, 'blocked');
});

test('repository not found (or not selected for the token)', async t => {
	const {report, standIn} = await probe(t, 'github_pat_other', {
		kind: 'fine-grained',
		permissions: allFine,
		repos: ['acme/other'],
	});
	t.regex(report.fatal!, /not found, or the token was not given access/);
	t.is(standIn.requests.at(-1)!.status, 404);
});

test('rate limits: primary (403 and 429) and secondary are waited out and retried', async t => {
	const {report, standIn} = await (async () => {
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		standIn.faults.push('primary-403', 'secondary', 'primary-429');
		const {gh, input} = standInClient(standIn);
		return {
			report: await probeToken(gh, fullToken, neededPermissions(input)),
			standIn,
		};
	})();
	t.is(report.fatal, undefined);
	t.deepEqual(
		standIn.requests.slice(0, 4).map(item => item.status),
		[403, 403, 429, 200],
	);
	t.deepEqual(standIn.violations, []);
});

test('first project repository: checked too; a token not given access to it blocks, naming it', async t => {
	const token = 'github_pat_two_repos';
	const standIn = await startGitHubStandIn({
		extraRepos: ['acme/first', 'acme/elsewhere'],
		tokens: {
			[token]: {
				kind: 'fine-grained',
				permissions: allFine,
				repos: ['acme/platform', 'acme/first'],
			},
		},
	});
	t.teardown(async () => standIn.close());
	const checkWith = async (firstProjectRepo: string) => {
		const client = standInClient(standIn, token, {
			mode: 'server',
			domain: 'staging.example.com',
			github: {firstProjectRepo},
		});
		return githubToken.check(standInContext(client));
	};

	const granted = await checkWith('acme/first');
	t.is(granted.kind, 'done');
	t.regex(
		granted.kind === 'done' ? granted.note! : '',
		/^present Webhooks in acme\/first \(write\)/m,
	);
	const refused = await checkWith('acme/elsewhere');
	t.like(refused, {kind: 'blocked'});
	t.regex(
		refused.kind === 'blocked' ? refused.problem : '',
		/repository acme\/elsewhere not found, or the token was not given access/,
	);
	t.deepEqual(standIn.writes(), []);
	t.deepEqual(standIn.violations, []);
});
