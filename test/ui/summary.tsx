import test from 'ava';
import {InterruptedError, UserError} from '../../source/errors.js';
import type {RunResult} from '../../source/engine/runner.js';
import {summaryText} from '../../source/ui/show-summary.js';
import type {SummaryProps} from '../../source/ui/Summary.js';
import {plain} from '../helpers/ink.js';

const base = {
	target: 'root@203.0.113.10:22',
	mode: 'local',
	logFile: '/home/op/.config/codex-k8s-install/logs/run.log',
	resumeCommand: 'codex-k8s-install resume',
} as const;

const steps: RunResult['steps'] = [
	{
		id: 'host.base-packages',
		phase: 'host',
		title: 'Base packages',
		status: 'changed',
		changes: ['install curl jq unzip nftables fail2ban unattended-upgrades'],
	},
	{
		id: 'host.firewall',
		phase: 'host',
		title: 'Firewall',
		status: 'done',
		changes: [],
	},
];

const frame = (
	props: Partial<SummaryProps> & Pick<SummaryProps, 'result'>,
	columns = 80,
) => plain(summaryText({...base, ...props}, columns));

for (const columns of [80, 60]) {
	test(`a finished run: what changed, what comes later, the log — ${columns} columns`, t => {
		t.is(
			frame(
				{
					result: {ok: true, changes: 1, durationMs: 9000, steps},
					later: ['cluster', 'platform', 'runner', 'verify'],
				},
				columns,
			),
			(columns === 80
				? [
						'root@203.0.113.10:22 · local mode',
						'✔ Base packages',
						'  · install curl jq unzip nftables fail2ban unattended-upgrades',
						'Next: cluster, platform, runner, verify come with a later version of this',
						'installer.',
						'Log: /home/op/.config/codex-k8s-install/logs/run.log',
					]
				: [
						'root@203.0.113.10:22 · local mode',
						'✔ Base packages',
						'  · install curl jq unzip nftables fail2ban',
						'  unattended-upgrades',
						'Next: cluster, platform, runner, verify come with a later',
						'version of this installer.',
						'Log: /home/op/.config/codex-k8s-install/logs/run.log',
					]
			).join('\n'),
		);
	});
}

test('a converged run says nothing changed', t => {
	t.is(
		frame({result: {ok: true, changes: 0, durationMs: 600, steps: []}}),
		[
			'root@203.0.113.10:22 · local mode',
			'✔ Everything was already in place: nothing changed.',
			'Log: /home/op/.config/codex-k8s-install/logs/run.log',
		].join('\n'),
	);
});

test('a failed run: the step, the error, its hint and the exact resume command', t => {
	const error = new UserError('Firewall rolled back: a new SSH login failed', {
		hint: 'Open ports were 22; the table is removed.\nCheck sshd -T.',
	});
	t.is(
		frame({
			result: {
				ok: false,
				changes: 1,
				durationMs: 9000,
				error,
				steps: [
					steps[0]!,
					{...steps[1]!, status: 'failed', error: error.message},
				],
			},
		}),
		[
			'root@203.0.113.10:22 · local mode',
			'✔ Base packages',
			'  · install curl jq unzip nftables fail2ban unattended-upgrades',
			'✖ Failed at Firewall',
			'Firewall rolled back: a new SSH login failed',
			'→ Open ports were 22; the table is removed.',
			'→ Check sshd -T.',
			'Continue with: codex-k8s-install resume',
			'Log: /home/op/.config/codex-k8s-install/logs/run.log',
		].join('\n'),
	);
});

test('an interruption before the first step says so, and offers no resume: nothing ran', t => {
	const text = frame({
		result: {
			ok: false,
			changes: 0,
			durationMs: 10,
			error: new InterruptedError(),
			steps: [],
		},
	});
	t.regex(
		text,
		/^■ Stopped before the first step\nInterrupted\n→ Nothing is lost: run `codex-k8s-install resume` to continue\.$/m,
	);
	t.notRegex(text, /Continue with/);
});
