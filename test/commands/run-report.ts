import test from 'ava';
import {runJson} from '../../source/commands/run-report.js';

const result = {ok: true, changes: 0, durationMs: 12, steps: []};

test('the run report carries the SSH round trips of the run when there was a session', t => {
	const document = runJson('install', 'local', result, {
		logFile: '/tmp/log',
		roundTrips: 4,
	});
	t.is(document.roundTrips, 4);
	t.regex(JSON.stringify(document), /"roundTrips":4/);
});

test('a run without a host session has no roundTrips field', t => {
	const document = runJson('install', 'local', result);
	t.false('roundTrips' in document);
});

test('each step of the run report says where its time went', t => {
	const timing = {checkMs: 12, applyMs: 3400, verifyMs: 80, roundTrips: 2};
	const document = runJson('install', 'local', {
		...result,
		steps: [
			{
				id: 'host.base-packages',
				phase: 'host',
				title: 'Base packages',
				status: 'changed',
				changes: ['install jq'],
				timing,
			},
		],
	});
	t.deepEqual(document.steps[0]?.timing, timing);
});
