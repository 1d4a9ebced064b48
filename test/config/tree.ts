import test from 'ava';
import {
	expandHome,
	getPath,
	setPath,
	type Tree,
} from '../../source/config/tree.js';

test('getPath reads nested values and list items', t => {
	const tree: Tree = {a: {b: 1, list: ['x', 'y']}};
	t.is(getPath(tree, 'a.b'), 1);
	t.is(getPath(tree, 'a.list.1'), 'y');
	t.is(getPath(tree, 'a.b.c'), undefined);
	t.is(getPath(tree, 'missing.x'), undefined);
});

test('setPath creates groups; deleting leaves no empty groups behind', t => {
	const tree: Tree = {};
	setPath(tree, 'a.b.c', 1);
	t.deepEqual(tree, {a: {b: {c: 1}}});
	setPath(tree, 'a.b.c', undefined);
	setPath(tree, 'x.y', undefined);
	t.deepEqual(tree, {a: {b: {}}});
});

test('expandHome expands only a leading ~', t => {
	t.is(expandHome('~/k', '/h'), '/h/k');
	t.is(expandHome('~', '/h'), '/h');
	t.is(expandHome('a/~/k', '/h'), 'a/~/k');
	t.is(expandHome('~other/k', '/h'), '~other/k');
});
