import type {Step} from '../../source/engine/step.js';
import {basePackagesStep} from './base-packages.js';
import {fail2ban} from './fail2ban.js';
import {firewall} from './firewall.js';
import {operatorUser} from './operator-user.js';
import {sshHardening} from './ssh-hardening.js';
import {systemSettings} from './system-settings.js';
import {unattendedUpgrades} from './unattended-upgrades.js';

export type {LoginVerifier} from './ssh-hardening.js';
export {publicPorts} from './firewall.js';
export {operatorUserStep, type OperatorKeySource} from './operator-user.js';

/**
 * In order: packages first (nft, fail2ban), then the firewall before anything else listens,
 * the operator before sshd is hardened (so the second login can be proven as the operator).
 */
export const hostSteps: readonly Step[] = [
	basePackagesStep,
	firewall,
	systemSettings,
	operatorUser,
	sshHardening,
	fail2ban,
	unattendedUpgrades,
];
