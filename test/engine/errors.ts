import test from 'ava';
import {
	exitCodeOf,
	formatError,
	InterruptedError,
	UsageError,
	UserError,
} from '../../source/errors.js';

test('exit codes: user error 1, usage 2, interrupted 130, bug 1', t => {
	t.is(exitCodeOf(new UserError('x')), 1);
	t.is(exitCodeOf(new UsageError('x')), 2);
	t.is(exitCodeOf(new InterruptedError()), 130);
	t.is(exitCodeOf(new TypeError('x')), 1);
});

test('a user error prints what happened and what to do, without a stack', t => {
	const text = formatError(
		new UserError('Port 22 is closed', {
			hint: 'Open it in the provider firewall.',
			runbookSection: '§2 SSH',
		}),
		'/tmp/run.log',
	);
	t.is(
		text,
		'✖ Port 22 is closed\n  Open it in the provider firewall.\n  Runbook: §2 SSH\n  Log: /tmp/run.log',
	);
});

test('a bug prints its stack and asks for a report', t => {
	const text = formatError(new TypeError('cannot read x'));
	t.regex(text, /bug in codex-k8s-install/);
	t.regex(text, /TypeError: cannot read x\n\s+at /);
	t.regex(text, /report it/);
});
