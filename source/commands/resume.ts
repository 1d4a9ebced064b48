import type {Invocation} from '../cli.js';
import {install} from './install.js';

/** `resume`: the same install, with the answers saved by the unfinished run. */
export const run = async (invocation: Invocation) =>
	install(invocation, {resume: true});
