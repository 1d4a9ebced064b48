import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {checksFor} from '../../source/commands/wizard.js';
import {inputSchema} from '../../source/config/schema.js';
import {Checking} from '../../source/ui/wizard/Checks.js';
import {plain} from '../helpers/ink.js';
import {refusedUrl} from '../helpers/network-faults.js';
import {fakeSecret} from '../helpers/secrets.js';

/** Resolves with the frame once it matches: waits for the state, bounded by the test's timeout. */
async function frameMatching(
	instance: ReturnType<typeof render>,
	pattern: RegExp,
): Promise<string> {
	for (;;) {
		const frame = plain(instance.lastFrame() ?? '');
		if (pattern.test(frame)) {
			return frame;
		}

		// eslint-disable-next-line no-await-in-loop -- polling the frame, not timing the test
		await delay(20);
	}
}

test('while a check runs, the elapsed time is shown after the first second', async t => {
	let now = 1_000_000;
	const instance = render(<Checking now={() => now} />);
	t.is(plain(instance.lastFrame() ?? ''), 'checking…');
	now += 3000;
	t.is(await frameMatching(instance, /\d s$/), 'checking… 3 s');
	instance.unmount();
});

test('the token check with GitHub unreachable says so, not "GitHub answered 500", with what to check', async t => {
	t.timeout(60_000);
	const apiUrl = await refusedUrl();
	const check = checksFor({
		input: inputSchema.parse({mode: 'local', github: {apiUrl}}),
		origins: new Map(),
	})['github.token']!;
	const result = await check({
		'github.repo': 'acme/platform',
		'github.token': fakeSecret('github_pat_'),
	});
	const instance = render(<Box>{result.view}</Box>);
	const [first, hint] = plain(instance.lastFrame() ?? '').split('\n');
	t.is(
		first,
		`✖ GitHub could not be reached: the connection to ${new URL(apiUrl).host} was refused (4 tries)`,
	);
	t.regex(hint!, /^→ Check this machine’s network/);
	t.is(result.problem, first!.slice(2), 'the review repeats what went wrong');
	instance.unmount();
});
