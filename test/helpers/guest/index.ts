export type {GuestDistribution} from './constants.js';
export type {ExecOptions} from './machine.js';
export type {RunResult as ExecResult} from './process.js';
export {guestTest} from './ava.js';
export {guestSkipReason, guestSupport, type GuestSupport} from './support.js';
export {
	type Guest,
	type GuestOptions,
	type RunningGuest,
	startGuest,
	withGuest,
} from './with-guest.js';
