// The commit the platform phase builds and deploys: a given commit as it is, a branch's head asked
// from GitHub (the stand-in, checked against the OpenAPI description).
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {revisionOf} from '../../../steps/platform/revision.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../../helpers/github/server.js';
import {sha} from '../../helpers/github/state.js';

test('a given commit as it is, a branch as its head, a missing branch as a clear error', async t => {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	const contextWith = (buildRef?: string) =>
		standInContext(standInClient(standIn, fullToken, {platform: {buildRef}}), [
			'platform',
		]);
	const commit = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';
	t.is(await revisionOf(contextWith(commit)), commit);
	t.is(await revisionOf(contextWith()), sha('initial'));
	const error = await t.throwsAsync(revisionOf(contextWith('no-such-branch')), {
		instanceOf: UserError,
	});
	t.regex(error.message, /no-such-branch/);
	t.deepEqual(standIn.violations, []);
});
