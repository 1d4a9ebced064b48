import test from 'ava';
import {run as plan} from '../../source/commands/plan.js';
import {invocation} from '../helpers/invocation.js';
import {homeWithSsh} from '../helpers/keys.js';

test('an ~/.ssh/config alias is shown and stored with the port and user it really uses', async t => {
	const home = homeWithSsh({
		config:
			'Host staging\n  HostName 203.0.113.10\n  Port 2222\n  User admin\n',
	});
	const run = invocation(
		'plan',
		{host: 'staging', mode: 'local', only: 'host', json: true},
		{env: {HOME: home}},
	);
	t.is(await plan(run), 0);
	t.like(JSON.parse(run.stdoutText()), {target: 'admin@staging:2222'});
});
