import {guestInstallWorks} from '../helpers/built-cli.js';
import {bin, ensureBuilt} from '../helpers/cli.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {nodeBinary, otherNodeMajors} from '../helpers/node-versions.js';

// Issue 20 item 3: one real install per supported Node.js besides the machine's own (install-guest.ts).
for (const major of otherNodeMajors) {
	guestTest(
		`on Node.js ${major}: install --only host hardens a real server; a re-run changes nothing`,
		async t => {
			t.timeout(6 * 60_000);
			ensureBuilt();
			const node = nodeBinary(major);
			await withGuest({}, async guest => {
				await guestInstallWorks(t, guest, [node, bin]);
			});
		},
	);
}
