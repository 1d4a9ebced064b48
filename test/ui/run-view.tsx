import test from 'ava';
import {renderToString} from 'ink';
import {foldEvent} from '../../source/ui/run-state.js';
import {RunView} from '../../source/ui/RunView.js';
import {plain} from '../helpers/ink.js';
import {runStateAt as stateAt} from '../helpers/run-timeline.js';

const frame = (now: number, columns = 80, slowMs = 60_000) =>
	plain(
		renderToString(
			<RunView
				state={stateAt(now)}
				heading="root@203.0.113.10:22 · local mode"
				now={now}
				slowMs={slowMs}
			/>,
			{columns},
		),
	);

test('the last output lines of the running step, and the clocks', t => {
	t.is(
		frame(95_200),
		[
			'root@203.0.113.10:22 · local mode · 1:35',
			'preflight',
			'  ✔ Operating system (0.2s)',
			'host',
			'  › Base packages 1:35',
			'  · Firewall',
			'╭──────────────────────────────────────────────────────────────────────────────╮',
			'│ Base packages · 1:35                                                         │',
			'│ Building dependency tree...                                                  │',
			'│ Unpacking nftables (1.0.6-2+deb12u2) ...                                     │',
			'│ Setting up fail2ban (1.0.2-2) ...                                            │',
			'│ ⚠ still working after 1:35: Setting up fail2ban (1.0.2-2) ...                │',
			'╰──────────────────────────────────────────────────────────────────────────────╯',
		].join('\n'),
	);
});

test('60 columns: long output lines are cut, not wrapped; no warning before the step is slow', t => {
	const lines = frame(30_200, 60).split('\n');
	t.true(lines.every(line => [...line].length <= 60));
	t.false(lines.some(line => line.includes('still working')));
	t.is(
		lines.at(-2),
		'│ Setting up fail2ban (1.0.2-2) ...                        │',
	);
});

test('a finished run shows every outcome and the total time', t => {
	let state = stateAt(2000);
	state = foldEvent(
		state,
		{
			type: 'step-finish',
			id: 'host.base-packages',
			status: 'changed',
			durationMs: 9000,
		},
		9200,
	);
	state = foldEvent(
		state,
		{type: 'step-finish', id: 'host.firewall', status: 'failed', durationMs: 0},
		9300,
	);
	state = foldEvent(
		state,
		{type: 'run-finish', ok: false, changes: 1, durationMs: 9300},
		9300,
	);
	t.is(
		plain(
			renderToString(
				<RunView state={state} heading="root@203.0.113.10:22" now={20_000} />,
				{columns: 80},
			),
		),
		[
			'root@203.0.113.10:22 · 0:09',
			'preflight',
			'  ✔ Operating system (0.2s)',
			'host',
			'  ↻ Base packages (9.0s)',
			'  ✖ Firewall (0.0s)',
		].join('\n'),
	);
});
