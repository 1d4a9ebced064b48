/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, no-template-curly-in-string */
// Parsed YAML and ava contexts are loosely typed on purpose here; assertions check their shape.
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {parse} from 'yaml';
import {renderWorkflow} from '../../source/github/workflow.js';
import {standInInput} from '../helpers/github/client.js';
import {goBinary, goSkipReason} from '../helpers/cluster/binary.js';

const fakeStandIn = {
	url: 'http://127.0.0.1:1',
	repo: {owner: 'acme', name: 'platform'},
} as any;

type Problem = {kind: string; message: string; line: number};

/**
 * Lints one workflow with actionlint, built from its Go module (test/cluster/build.sh). The scale
 * set name is a self-hosted runner label, declared as a repository's actionlint.yaml would; the
 * shellcheck and pyflakes passes are off so the result does not depend on what the machine has.
 */
async function lint(text: string, file: string): Promise<Problem[]> {
	const binary = await goBinary('actionlint');
	const directory = await mkdtemp(path.join(tmpdir(), 'actionlint-'));
	try {
		const config = path.join(directory, 'actionlint.yaml');
		await writeFile(config, 'self-hosted-runner:\n  labels: [acme-staging]\n');
		const output = await new Promise<string>((resolve, reject) => {
			const child = execFile(
				binary,
				[
					'-config-file',
					config,
					'-shellcheck=',
					'-pyflakes=',
					'-format',
					'{{json .}}',
					'-stdin-filename',
					file,
					'-',
				],
				(error, stdout, stderr) => {
					// Exit 1 means problems were found; anything else is the linter failing.
					if (error && error.code !== 1) {
						reject(new Error(`actionlint failed: ${stderr}`));
						return;
					}

					resolve(stdout);
				},
			);
			child.stdin?.end(text);
		});
		return JSON.parse(output) as Problem[];
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
}

const skipReason = goSkipReason();
const lintTest = skipReason === undefined ? test : test.skip;

for (const mode of ['local', 'server'] as const) {
	lintTest(`rendered workflow passes actionlint (${mode} mode)`, async t => {
		const input = standInInput(fakeStandIn, 'github_pat_x', {
			mode,
			...(mode === 'server' ? {domain: 'staging.example.com'} : {}),
			runner: {scaleSetName: 'acme-staging'},
		});
		const text = renderWorkflow(input, '1.2.3');
		const problems = await lint(text, 'ai_staging_deploy.yml');
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
		t.regex(doc.jobs.smoke.steps[1].run, /status --in-cluster/);
		t.is(doc.env.CODEXK8S_MODE, mode);
		// The runner image has no Node.js: each job sets it up (an LTS major) before npx runs.
		for (const [name, job] of Object.entries<any>(doc.jobs)) {
			const first = job.steps[0];
			t.regex(first.uses, /^actions\/setup-node@[\da-f]{40}$/, name);
			t.is(first.with['node-version'], '24', name);
			t.false(first.with['package-manager-cache'], name);
		}

		// Pinned by commit, the release named in a comment beside it.
		const uses = text.match(/uses: .+$/gm) ?? [];
		t.is(uses.length, 3);
		for (const line of uses) {
			t.regex(line, /^uses: [\w-]+\/[\w-]+@[\da-f]{40} # v\d+\.\d+\.\d+$/);
		}

		// The platform's secrets stay in the cluster.
		t.notRegex(text, /\${{\s*secrets\./);
	});
}

lintTest(
	'actionlint catches a broken workflow (the lint test can fail)',
	async t => {
		const problems = await lint(
			'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
			'x.yml',
		);
		t.true(problems.some(problem => problem.kind === 'expression'));
	},
);
