import {guestInstallWorks} from '../helpers/built-cli.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {installPacked} from '../helpers/packed.js';

// Issue 20 item 4: the way users run it: the packed package, installed without dev dependencies.
guestTest(
	'the packed package installed with npm install --omit=dev hardens a real server; a re-run changes nothing',
	async t => {
		t.timeout(6 * 60_000);
		const {command} = installPacked();
		await withGuest({}, async guest => {
			await guestInstallWorks(t, guest, command);
		});
	},
);
