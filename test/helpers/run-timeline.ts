import type {EngineEvent} from '../../source/engine/events.js';
import {emptyRun, foldEvent} from '../../source/ui/run-state.js';

/** An install's first seconds: one check done, base packages installing and printing. */
export const runEvents: Array<[number, EngineEvent]> = [
	[
		0,
		{
			type: 'run-start',
			command: 'install',
			steps: [
				{id: 'preflight.os', phase: 'preflight', title: 'Operating system'},
				{id: 'host.base-packages', phase: 'host', title: 'Base packages'},
				{id: 'host.firewall', phase: 'host', title: 'Firewall'},
			],
		},
	],
	[0, {type: 'step-start', id: 'preflight.os', title: 'Operating system'}],
	[
		200,
		{type: 'step-finish', id: 'preflight.os', status: 'done', durationMs: 200},
	],
	[200, {type: 'step-start', id: 'host.base-packages', title: 'Base packages'}],
	...[
		'Reading package lists...',
		'Building dependency tree...',
		'Unpacking nftables (1.0.6-2+deb12u2) ...',
		'Setting up fail2ban (1.0.2-2) ...',
	].map((line, index): [number, EngineEvent] => [
		1000 + index,
		{type: 'step-output', id: 'host.base-packages', line},
	]),
];

/** The run state after every event up to `until` ms. */
export function runStateAt(until: number) {
	let state = emptyRun;
	for (const [at, event] of runEvents) {
		if (at <= until) {
			state = foldEvent(state, event, at);
		}
	}

	return state;
}
