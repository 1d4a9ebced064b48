import type {Streams} from '../cli-mode.js';
import {
	answerOptions,
	commandOptions,
	commonOptions,
	globalOptions,
	type CommandOption,
	type Option,
} from './options.js';

export type Flags = Record<string, string | boolean | undefined>;

/** One run of one command: what the command line and the process gave it. */
export type Invocation = {
	command: CommandName;
	flags: Flags;
	/** The command's operand, for the one command that takes one (`completion bash`). */
	operand?: string;
	streams: Streams;
	env: NodeJS.ProcessEnv;
	interactive: boolean;
	version: string;
	/** How the operator runs this program (`npx codex-k8s-install`), for hints. */
	program: string;
};

export type CommandModule = {run(invocation: Invocation): Promise<number>};

type CommandEntry = {
	summary: string;
	/** Options of its own, beyond the common ones and the answers. */
	options: readonly CommandOption[];
	/** False for a command that reads no answers (`completion`): it takes no common options. */
	answers?: false;
	/** Its one operand, for help and completion: `bash|zsh|fish`. */
	operand?: readonly string[];
	load: () => Promise<CommandModule>;
};

/** Every command (README.md lists them for users). Heavy modules load only when their command runs. */
export const commands = {
	install: {
		summary: 'wizard → plan → confirm → live run → summary (the default)',
		options: ['yes', 'only', 'force-unlock'],
		load: async () => import('./install.js'),
	},
	plan: {
		summary:
			'show what an install would do, without doing it; --probe also reads the host and GitHub',
		options: ['probe', 'only'],
		load: async () => import('./plan.js'),
	},
	resume: {
		summary: 'continue the last interrupted install with its saved answers',
		options: ['yes', 'force-unlock'],
		load: async () => import('./resume.js'),
	},
	status: {
		summary:
			'what is installed, healthy and online; the exit code says if all is well',
		options: ['in-cluster'],
		load: async () => import('./status.js'),
	},
	doctor: {
		summary:
			'check local prerequisites, SSH, host key, token permissions and DNS',
		options: [],
		load: async () => import('./doctor.js'),
	},
	uninstall: {
		summary: 'remove what the installer made, in reverse, with a plan first',
		options: ['yes', 'remove', 'force-unlock'],
		load: async () => import('./uninstall.js'),
	},
	runbook: {
		summary: 'write the manual-recovery runbook for this installation',
		options: ['output'],
		load: async () => import('./runbook.js'),
	},
	build: {
		summary:
			'build the codex-k8s images in the cluster (the deploy workflow runs it with --in-cluster)',
		options: ['in-cluster'],
		load: async () => import('./build.js'),
	},
	deploy: {
		summary:
			'roll the built images out to staging (the deploy workflow runs it with --in-cluster)',
		options: ['in-cluster'],
		load: async () => import('./deploy.js'),
	},
	completion: {
		summary: 'print the shell completion script for bash, zsh or fish',
		options: [],
		answers: false,
		operand: ['bash', 'zsh', 'fish'],
		load: async () => import('./completion.js'),
	},
} as const satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commands;

export const commandNames = Object.keys(commands) as CommandName[];

const entryOf = (name: CommandName): CommandEntry => commands[name];

export const takesAnswers = (name: CommandName) =>
	entryOf(name).answers !== false;

export const operandOf = (name: CommandName) => entryOf(name).operand;

export async function loadCommand(name: CommandName): Promise<CommandModule> {
	return entryOf(name).load();
}

/** Every option `name` reads: its own, and the common ones and answers unless it reads none. */
export const allowedOptions = (name: CommandName): Option[] => [
	...globalOptions,
	...(takesAnswers(name) ? [...commonOptions, ...answerOptions] : []),
	...entryOf(name).options.map(option => commandOptions[option]),
];

/** The commands that have `option` (a long name) of their own. */
export const commandsTaking = (option: string) =>
	commandNames.filter(name =>
		(entryOf(name).options as readonly string[]).includes(option),
	);
