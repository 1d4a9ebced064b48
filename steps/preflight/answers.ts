import {missingAnswers} from '../../source/config/required.js';
import type {Step} from '../../source/engine/step.js';

export const answers: Step = {
	id: 'preflight.answers',
	phase: 'preflight',
	title: 'Answers for the chosen phases',
	reach: 'local',
	runbook: () => ({
		check: [
			'codex-k8s-install plan   (lists every missing answer with its flag and variable)',
		],
		fix: [
			'give the missing answers as flags, CODEXK8S_* variables or in --config FILE (docs/configuration.md)',
		],
	}),
	describe: () => [
		'every answer the chosen phases need is given (flags, environment, config file or wizard)',
	],
	async check({input, phases, known}) {
		const missing = missingAnswers(input, phases, known);
		if (missing.length === 0) {
			return {kind: 'done', note: `all answers given for ${phases.join(', ')}`};
		}

		return {
			kind: 'blocked',
			problem: `missing ${missing.map(item => item.field.path).join(', ')}`,
			hint: missing.map(item => `${item.field.path}: ${item.how}`).join('\n'),
		};
	},
};
