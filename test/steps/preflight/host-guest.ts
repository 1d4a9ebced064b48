import {UserError} from '../../../source/errors.js';
import type {Step, StepContext} from '../../../source/engine/step.js';
import {allSteps} from '../../../steps/index.js';
import {firstBootStep} from '../../../steps/preflight/first-boot.js';
import {os} from '../../../steps/preflight/os.js';
import {resourcesStep} from '../../../steps/preflight/resources.js';
import {fakeContext} from '../../helpers/fake-steps.js';
import {guestTest, withGuest} from '../../helpers/guest/index.js';
import {openSession, startInGuest} from './_guest-session.js';

// The checks of both modes; the server-mode DNS check asks DNS, not the host (test/steps/preflight/dns.ts).
const hostPreflight = allSteps.filter(
	step => step.phase === 'preflight' && step.reach === 'host' && !step.when,
);

async function checkAll(steps: readonly Step[], context: StepContext) {
	const findings: Record<string, unknown> = {};
	for (const step of steps) {
		// eslint-disable-next-line no-await-in-loop -- in order, as the planner does
		findings[step.id] = await step.check(context);
	}

	return findings;
}

guestTest(
	'bookworm over real SSH: every host preflight check in one round trip',
	async t => {
		await withGuest({}, async guest => {
			const {session, host, input, dispose} = await openSession(guest);
			try {
				t.deepEqual(
					hostPreflight.map(step => step.id),
					[
						'preflight.os',
						'preflight.arch',
						'preflight.privilege',
						'preflight.resources',
						'preflight.clock',
						'preflight.outbound',
						'preflight.first-boot',
					],
				);
				const before = session.roundTrips;
				const findings = await checkAll(
					hostPreflight,
					fakeContext({input, host}),
				);
				t.true(session.roundTrips - before <= 2);
				t.is(session.roundTrips - before, 1);
				t.like(findings, {
					'preflight.os': {
						kind: 'done',
						note: 'Debian GNU/Linux 12 (bookworm)',
					},
					'preflight.arch': {kind: 'done', note: 'amd64 (x86_64)'},
					'preflight.privilege': {kind: 'done', note: 'logged in as root'},
					'preflight.clock': {kind: 'done'},
					'preflight.outbound': {kind: 'done'},
					'preflight.first-boot': {kind: 'done', note: 'apt/dpkg locks free'},
				});
				t.regex(
					(findings['preflight.outbound'] as {note: string}).note,
					/name servers .+; apt proxy: Acquire::http::Proxy "http:\/\/10\.213\.0\.1:\d+";/,
				);
				// The guest's disk and memory are the build machine's: either verdict carries real numbers.
				const resources = findings['preflight.resources'] as {
					kind: string;
					note?: string;
					problem?: string;
				};
				t.regex(
					resources.note ?? resources.problem ?? '',
					/\d+(\.\d)? GiB (free on \/|of memory)/,
				);
				const tiny = await resourcesStep({
					memoryBytes: 64 * 1024 ** 2,
					varFreeBytes: 64 * 1024 ** 2,
					rootFreeBytes: 64 * 1024 ** 2,
				}).check(fakeContext({input, host}));
				t.like(tiny, {kind: 'done'});
				const huge = await resourcesStep({
					memoryBytes: 1024 ** 5,
					varFreeBytes: 1024 ** 5,
					rootFreeBytes: 1024 ** 5,
				}).check(fakeContext({input, host}));
				t.like(huge, {kind: 'blocked'});
				t.regex(
					(huge as {problem: string}).problem,
					/^not enough room: \d+(\.\d)? GiB free on \/ \(1048576 GiB needed\); \d+(\.\d)? GiB of memory \(1048576 GiB needed\)$/,
				);
				t.is(
					session.roundTrips - before,
					1,
					'the facts are read once per session',
				);
			} finally {
				await dispose();
			}
		});
	},
);

guestTest(
	'an unsupported system is blocked with the supported list',
	async t => {
		await withGuest({}, async guest => {
			await guest.exec(
				String.raw`rm -f /etc/os-release && printf 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nID=debian\nVERSION_ID="11"\n' > /etc/os-release`,
			);
			const {host, input, dispose} = await openSession(guest);
			try {
				t.deepEqual(await os.check(fakeContext({input, host})), {
					kind: 'blocked',
					problem: 'Debian GNU/Linux 11 (bullseye) is not supported',
					hint: 'Supported systems: Ubuntu 22.04, Ubuntu 24.04, Debian 12 or Debian 13. Reinstall the server with one of them and run again.',
				});
			} finally {
				await dispose();
			}
		});
	},
);

guestTest(
	'an apt lock held by another process: the gate waits with a countdown, then proceeds; or gives up naming it',
	async t => {
		await withGuest({}, async guest => {
			const holder = await startInGuest(
				guest,
				'flock /var/lib/dpkg/lock-frontend sleep 60',
			);
			const {host, input, dispose} = await openSession(guest, {
				timeouts: {firstBoot: 2},
			});
			try {
				const lines: string[] = [];
				const context = fakeContext({
					input,
					host,
					output: line => lines.push(line),
				});
				const step = firstBootStep({pollMs: 300});
				const finding = await step.check(context);
				t.deepEqual(finding, {
					kind: 'change',
					changes: [
						`wait for flock (pid ${holder}) holding /var/lib/dpkg/lock-frontend`,
					],
				});
				const error = await t.throwsAsync(step.apply!(context, finding), {
					instanceOf: UserError,
					message: `the host is still busy after 2 s: flock (pid ${holder}) holding /var/lib/dpkg/lock-frontend`,
				});
				t.true(
					error.hint!.includes(`ps -o pid,etime,args -p ${holder}`),
					error.hint,
				);
				t.regex(
					lines[0]!,
					/^waiting for flock \(pid \d+\) holding \/var\/lib\/dpkg\/lock-frontend: 0:0[12] left$/,
				);

				lines.length = 0;
				const long = fakeContext({
					input: {...input, timeouts: {...input.timeouts, firstBoot: 60}},
					host,
					output: line => lines.push(line),
				});
				const waiting = step.apply!(long, finding);
				const released = new Promise<void>(resolve => {
					setTimeout(async () => {
						await guest.exec(`kill -- -${holder}`);
						resolve();
					}, 1500);
				});
				await Promise.all([waiting, released]);
				t.true(lines.length >= 3, lines.join('\n'));
				t.regex(lines[0]!, /^waiting for flock .+: 1:0\d left$/);
				t.regex(lines.at(-1)!, /^the host is free after 0:0\d$/);
			} finally {
				await guest.exec(`kill -- -${holder} 2>/dev/null`);
				await dispose();
			}
		});
	},
);

guestTest(
	'cloud-init still running (a stand-in `cloud-init` command in the guest): the gate waits until it is done',
	async t => {
		await withGuest({}, async guest => {
			// Stand-in: Debian test images have no cloud-init; this answers `status` from a file.
			await guest.exec(
				[
					'echo running > /run/fake-cloud-init',
					String.raw`printf '#!/bin/sh\necho "status: $(cat /run/fake-cloud-init)"\n' > /usr/local/bin/cloud-init`,
					'chmod 755 /usr/local/bin/cloud-init',
				].join(' && '),
			);
			const {host, input, dispose} = await openSession(guest);
			try {
				const lines: string[] = [];
				const context = fakeContext({
					input,
					host,
					output: line => lines.push(line),
				});
				const step = firstBootStep({pollMs: 300});
				const finding = await step.check(context);
				t.deepEqual(finding, {
					kind: 'change',
					changes: ['wait for cloud-init (status: running)'],
				});
				setTimeout(() => {
					void guest.exec('echo done > /run/fake-cloud-init');
				}, 1000);
				await step.apply!(context, finding);
				t.regex(
					lines[0]!,
					/^waiting for cloud-init \(status: running\): \d+:\d\d left$/,
				);
				t.regex(lines.at(-1)!, /^the host is free after 0:0\d$/);
			} finally {
				await dispose();
			}
		});
	},
);
