import test from 'ava';
import {connectionOf, type Layer} from '../../source/config/load.js';

const layer = (values: Layer['values'], origin = 'command line'): Layer => ({
	origin,
	values,
});

test('the target is read from the connection answers alone, later layers winning', t => {
	const connection = connectionOf([
		layer({connection: {host: 'saved.example', port: 2222}}, 'saved answers'),
		layer({connection: {host: 'given.example'}, mode: 'no-such-mode'}),
	]);
	t.like(connection, {host: 'given.example', port: 2222});
});

test('connection answers that are not valid name no target (resolving says why)', t => {
	t.is(connectionOf([layer({connection: {host: 'a b', port: 0}})]), undefined);
	t.is(connectionOf([])?.host, undefined);
});
