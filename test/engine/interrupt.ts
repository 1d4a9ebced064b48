import {EventEmitter} from 'node:events';
import test from 'ava';
import {InterruptedError} from '../../source/errors.js';
import {createInterrupt} from '../../source/engine/interrupt.js';

const setup = () => {
	const source = new EventEmitter();
	const messages: string[] = [];
	const exits: number[] = [];
	const interrupt = createInterrupt({
		source: source as unknown as NodeJS.Process,
		notify: message => messages.push(message),
		exit: code => exits.push(code),
	});
	return {source, messages, exits, interrupt};
};

test('the first Ctrl-C aborts the signal with an InterruptedError and does not exit', t => {
	const {source, messages, exits, interrupt} = setup();
	source.emit('SIGINT');
	t.true(interrupt.signal.aborted);
	t.true(interrupt.signal.reason instanceof InterruptedError);
	t.deepEqual(exits, []);
	t.regex(messages[0]!, /Stopping after the current remote command/);
});

test('a second Ctrl-C runs every cleanup once, in reverse order, and exits 130', t => {
	const {source, exits, interrupt} = setup();
	const order: string[] = [];
	interrupt.onCleanup(() => order.push('save state'));
	interrupt.onCleanup(() => {
		order.push('release lock');
		throw new Error('lock already gone');
	});
	source.emit('SIGINT');
	source.emit('SIGINT');
	interrupt.dispose();
	t.deepEqual(exits, [130]);
	t.deepEqual(order, ['release lock', 'save state']);
});

test('it owns the signals: a listener that re-sends Ctrl-C cannot turn one press into two', t => {
	const source = new EventEmitter();
	source.once('SIGINT', () => source.emit('SIGINT'));
	const exits: number[] = [];
	const interrupt = createInterrupt({
		source: source as unknown as NodeJS.Process,
		exit: code => exits.push(code),
	});
	source.emit('SIGINT');
	t.true(interrupt.signal.aborted);
	t.deepEqual(exits, []);
	t.is(source.listenerCount('SIGINT'), 1);
});

test('SIGTERM is handled like Ctrl-C and dispose stops listening', t => {
	const {source, interrupt} = setup();
	interrupt.dispose();
	t.is(source.listenerCount('SIGINT'), 0);
	t.is(source.listenerCount('SIGTERM'), 0);
	const second = setup();
	second.source.emit('SIGTERM');
	t.true(second.interrupt.signal.aborted);
});
