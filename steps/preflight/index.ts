import type {Step} from '../../source/engine/step.js';
import {answers} from './answers.js';
import {arch} from './arch.js';
import {clock} from './clock.js';
import {dns} from './dns.js';
import {firstBoot} from './first-boot.js';
import {githubToken} from './github-token.js';
import {keyFiles} from './key-files.js';
import {knownHosts} from './known-hosts.js';
import {nodeVersion} from './node-version.js';
import {os} from './os.js';
import {outbound} from './outbound.js';
import {privilege} from './privilege.js';
import {resources} from './resources.js';

/** Local checks first (they need no connection), then the host's, then GitHub's token. */
export const preflightSteps: readonly Step[] = [
	nodeVersion,
	answers,
	keyFiles,
	knownHosts,
	os,
	arch,
	privilege,
	resources,
	clock,
	outbound,
	dns,
	firstBoot,
	githubToken,
];
