import test from 'ava';
import {inputSchema} from '../../source/config/schema.js';
import {UsageError} from '../../source/errors.js';
import {
	choose,
	parseRemove,
	removalOrder,
} from '../../source/commands/uninstall-plan.js';
import {allSteps} from '../../steps/index.js';

const server = inputSchema.parse({
	connection: {host: '203.0.113.10'},
	mode: 'server',
	domain: 'staging.example.com',
	platform: {webhookSecret: 'x'},
});

test('uninstall walks the registry backwards: GitHub wiring, the runner, the builds, then k3s, then the host phase newest first', t => {
	const ids = removalOrder(allSteps, server).map(item => item.id);
	t.deepEqual(ids, [
		'github.webhook',
		'github.workflow',
		'github.secrets',
		'github.variables',
		'runner.scale-set',
		'runner.controller',
		'platform.build',
		'cluster.k3s',
		'host.unattended-upgrades',
		'host.fail2ban',
		'host.ssh-hardening',
		'host.operator-user',
		'host.system-settings',
		'host.firewall',
		'host.base-packages',
	]);
});

test('the operator, the hardening and the GitHub wiring stay unless --remove names them', t => {
	const items = removalOrder(allSteps, server);
	const byDefault = choose(items, parseRemove(undefined));
	t.deepEqual(
		byDefault.chosen.map(item => item.id),
		[
			'runner.scale-set',
			'runner.controller',
			'platform.build',
			'cluster.k3s',
			'host.system-settings',
			'host.base-packages',
		],
	);
	const all = choose(items, parseRemove('hardening,operator,github'));
	t.is(all.kept.length, 0);
	t.is(all.chosen.length, items.length);
	const error = t.throws(() => parseRemove('hardening,everything'), {
		instanceOf: UsageError,
	});
	t.is(error.message, '--remove got unknown everything');
});
