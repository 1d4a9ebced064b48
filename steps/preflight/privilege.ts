import type {Step} from '../../source/engine/step.js';
import {hostOf, sshCommand} from '../kit.js';

export const privilege: Step = {
	id: 'preflight.privilege',
	phase: 'preflight',
	title: 'Root access',
	reach: 'host',
	runbook: input => ({
		check: [
			`${sshCommand(input, input.connection.user ?? 'root')} sudo -n true   (no output and exit 0: sudo without password)`,
		],
		fix: [
			'log in as root, or give the login user sudo (a password is asked once and sent on stdin)',
			'see "Privileges on the host" below',
		],
	}),
	describe: input => [
		`log in as ${input.connection.user ?? 'root'} and work as root (directly or through sudo)`,
	],
	async check(context) {
		const {session} = hostOf(context);
		const {user} = session.target;
		const notes = {
			root: `logged in as root`,
			sudo: `${user} with passwordless sudo`,
			'sudo-password': `${user} with sudo (password asked once, sent on stdin)`,
		} as const;
		return {kind: 'done', note: notes[session.privilege]};
	},
};
