import test from 'ava';
import {neededPermissions} from '../../source/github/permissions.js';
import {probeToken} from '../../source/github/probe.js';
import {standInClient} from '../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';

test('full token: every permission present', async t => {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	const {gh, input} = standInClient(standIn);
	const report = await probeToken(gh, fullToken, neededPermissions(input));
	t.log(
		JSON.stringify(report.rows.map(r => [r.permission, r.status, r.reason])),
		report.kind,
		report.fatal,
	);
	t.deepEqual(standIn.violations, []);
});
