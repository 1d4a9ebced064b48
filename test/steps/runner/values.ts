// The runner phase's decisions without a cluster: sizing by mode, the scale set's values, and a
// minimum above the maximum stopping the plan before the cluster is asked anything.
import test from 'ava';
import {pins} from '../../../source/pins.js';
import {runnerSizing} from '../../../steps/kit.js';
import {
	runnerScaleSet,
	scaleSetValues,
} from '../../../steps/runner/scale-set.js';
import {baseInput, fakeContext} from '../../helpers/fake-steps.js';

const repo = {repo: 'acme/platform', token: 'github_pat_x'};

test('local mode keeps one warm runner whatever the bounds say; server mode scales 0 to 2 unless told', t => {
	t.deepEqual(runnerSizing(baseInput({runner: {min: 0, max: 5}})), {
		minRunners: 1,
		maxRunners: 1,
	});
	const server = {mode: 'server', domain: 'staging.example.com'};
	t.deepEqual(runnerSizing(baseInput(server)), {minRunners: 0, maxRunners: 2});
	t.deepEqual(runnerSizing(baseInput({...server, runner: {min: 1, max: 4}})), {
		minRunners: 1,
		maxRunners: 4,
	});
});

test('the scale set is registered for the repository, named as runs-on, with the pinned image and no docker-in-docker', t => {
	const values = scaleSetValues(
		baseInput({
			github: repo,
			runner: {scaleSetName: 'acme-staging'},
			proxy: {
				https: 'http://proxy.example:3128',
				noProxy: 'localhost,10.0.0.0/8',
			},
		}),
	);
	t.deepEqual(values, {
		githubConfigUrl: 'https://github.com/acme/platform',
		githubConfigSecret: 'gha-runner-scale-set-secret',
		runnerScaleSetName: 'acme-staging',
		minRunners: 1,
		maxRunners: 1,
		proxy: {
			https: {url: 'http://proxy.example:3128'},
			noProxy: ['localhost', '10.0.0.0/8'],
		},
		template: {
			spec: {
				containers: [
					{
						name: 'runner',
						image: pins.runnerImage,
						command: ['/home/runner/run.sh'],
					},
				],
			},
		},
	});
	t.false('containerMode' in values);
	t.is(
		scaleSetValues(
			baseInput({github: {...repo, apiUrl: 'https://ghe.example.com/api/v3'}}),
		)['githubConfigUrl'],
		'https://ghe.example.com/acme/platform',
	);
});

test('a minimum above the maximum stops the plan, naming both settings', async t => {
	const context = fakeContext({
		input: baseInput({
			mode: 'server',
			domain: 'staging.example.com',
			github: repo,
			runner: {min: 3, max: 2},
		}),
		async kube() {
			throw new Error('the cluster is not asked');
		},
	});
	t.deepEqual(await runnerScaleSet.check(context), {
		kind: 'blocked',
		problem: 'the runner minimum (3) is above the maximum (2)',
		hint: 'Set CODEXK8S_RUNNER_MIN at most CODEXK8S_RUNNER_MAX (runner.min / runner.max in the config file).',
	});
});
