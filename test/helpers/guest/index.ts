/*
Disposable real Debian hosts for tests (see /work/shared/reference/test-host.md for why this shape).

	import {guestTest, withGuest, connectRoot} from '../helpers/guest/index.js';

	guestTest('hardens sshd', async t => {
		await withGuest({name: 'web1'}, async guest => {
			const session = await connectRoot(guest); // root over real SSH, host key pinned
			...
			await session.close();
			const {stdout} = await guest.exec('sshd -T'); // as root, without SSH
		});
	});

This module imports ava (for guestTest); code running outside ava imports ./with-guest.js instead.
*/
export type {GuestDistribution} from './constants.js';
export type {ExecOptions} from './machine.js';
export type {RunResult as ExecResult} from './process.js';
export {guestTest} from './ava.js';
export {connectRoot, type RootSsh} from './ssh.js';
export {guestSkipReason, guestSupport, type GuestSupport} from './support.js';
export {
	type Guest,
	type GuestOptions,
	type RunningGuest,
	startGuest,
	withGuest,
} from './with-guest.js';
