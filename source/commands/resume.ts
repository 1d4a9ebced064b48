import {install} from './install.js';
import type {Invocation} from './index.js';

/** `resume`: the same install, with the answers saved by the unfinished run. */
export const run = async (invocation: Invocation) =>
	install(invocation, {resume: true});
