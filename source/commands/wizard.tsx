import {render} from 'ink';
import type {Loaded} from '../config/load.js';
import {inputSchema, type Phase} from '../config/schema.js';
import {getPath, mergeTree, type Tree} from '../config/tree.js';
import {StoppedAtQuestionError, UserError} from '../errors.js';
import {createLogger} from '../log.js';
import {listKeyChoices} from '../remote/key-choices.js';
import {resolveTarget} from '../remote/target.js';
import {checkFailed, dnsCheck, permissionCheck} from '../ui/wizard/Checks.js';
import {type WizardState, answersTree} from '../ui/wizard/model.js';
import {questionsFor} from '../ui/wizard/questions.js';
import {type AnswerCheck, Wizard} from '../ui/wizard/Wizard.js';
import type {Invocation} from './index.js';

type Answers = WizardState['answers'];

/** What the operator gave so far plus the wizard's answers, as the input the checks read. */
function inputWith(loaded: Loaded, answers: Answers) {
	const tree: Tree = structuredClone(loaded.input);
	mergeTree(tree, answersTree(answers));
	return inputSchema.parse(tree);
}

/** The wizard's read-only checks of an answer, by field path. */
export function checksFor(loaded: Loaded): Record<string, AnswerCheck> {
	return {
		async 'github.token'(answers) {
			const input = inputWith(loaded, {
				...answers,
				'github.repo': answers['github.repo'] ?? loaded.input.github.repo ?? '',
			});
			const [{createGitHub}, {probeToken}, {neededPermissions}] =
				await Promise.all([
					import('../github/client.js'),
					import('../github/probe.js'),
					import('../github/permissions.js'),
				]);
			const gh = createGitHub(input, createLogger());
			try {
				const report = await probeToken(
					gh,
					input.github.token!,
					neededPermissions(input),
				);
				return permissionCheck(report);
			} catch (error) {
				// GitHub unreachable or failing says nothing about the token: shown as what it is.
				if (error instanceof UserError) {
					return checkFailed(error);
				}

				throw error;
			}
		},
		async domain(answers) {
			const {checkDomain} = await import('../local/dns.js');
			const input = inputWith(loaded, answers);
			const verdict = await checkDomain(input.domain!, input.connection.host!, {
				resolver: input.dnsResolver,
			});
			return dnsCheck(verdict);
		},
	};
}

/** Port and login user of a ~/.ssh/config alias, offered when the wizard reaches them. */
export function sshConfigSuggestion(home: string) {
	return (path: string, answers: Answers): string | undefined => {
		const host = answers['connection.host'];
		if (!host || (path !== 'connection.port' && path !== 'connection.user')) {
			return undefined;
		}

		try {
			const target = resolveTarget({host}, {home});
			if (target.hostname === host) {
				return undefined;
			}

			return path === 'connection.port' ? String(target.port) : target.user;
		} catch {
			return undefined;
		}
	};
}

/** The values the operator would see pre-filled: everything known for the asked fields, as text. */
function prefillOf(loaded: Loaded, paths: readonly string[]) {
	const prefill: Record<string, string> = {};
	for (const path of paths) {
		const value = getPath(loaded.input, path);
		if (typeof value === 'string' || typeof value === 'number') {
			prefill[path] = String(value);
		}
	}

	return prefill;
}

/**
 * The wizard in the terminal, before anything connects: resolves with the answers (a config
 * layer), or undefined when there is nothing to ask. Ctrl-C ends it as an interruption.
 */
export async function askWizard(
	invocation: Invocation,
	loaded: Loaded,
	phases: readonly Phase[],
	{home, secretsKept}: {home: string; secretsKept?: WizardState['secretsKept']},
): Promise<Tree | undefined> {
	const questions = questionsFor(phases, loaded.origins);
	if (questions.length === 0) {
		return undefined;
	}

	const {env, streams} = invocation;
	const keyChoices = await listKeyChoices({
		home,
		agentSocket: env['SSH_AUTH_SOCK'],
	});
	return new Promise<Tree>((resolve, reject) => {
		const app = render(
			<Wizard
				questions={questions}
				prefill={prefillOf(
					loaded,
					questions.map(question => question.path),
				)}
				keyChoices={keyChoices}
				version={invocation.version}
				checks={checksFor(loaded)}
				suggest={sshConfigSuggestion(home)}
				secretsKept={secretsKept}
				onDone={answers => {
					app.unmount();
					resolve(answers);
				}}
				onInterrupt={() => {
					app.unmount();
					reject(new StoppedAtQuestionError('in the wizard'));
				}}
			/>,
			{
				stdin: streams.stdin as NodeJS.ReadStream,
				stdout: streams.stderr as NodeJS.WriteStream,
				exitOnCtrlC: false,
			},
		);
	});
}
