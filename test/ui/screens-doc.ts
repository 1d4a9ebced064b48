import {readFileSync} from 'node:fs';
import test from 'ava';
import {root} from '../helpers/cli.js';
import {renderScreens, screensDocument} from '../helpers/screens.js';

test('docs/screens.md shows what the components draw now (else: npm run docs:screens)', async t => {
	const document = screensDocument(await renderScreens());
	t.is(readFileSync(`${root}docs/screens.md`, 'utf8'), document);
	t.notRegex(document, /github_pat_/, 'the token is never drawn');
});
