import type {Streams} from '../cli-mode.js';

export type Flags = Record<string, string | boolean | undefined>;

/** One run of one command: what the command line and the process gave it. */
export type Invocation = {
	command: CommandName;
	flags: Flags;
	streams: Streams;
	env: NodeJS.ProcessEnv;
	interactive: boolean;
	version: string;
};

export type CommandModule = {run(invocation: Invocation): Promise<number>};

type CommandEntry = {
	summary: string;
	/** Extra flags this command reads, for its --help. */
	flags: string[];
	load: () => Promise<CommandModule>;
};

const notYet = (what: string, arrivesWith: string) => async () => {
	const {unavailable} = await import('./unavailable.js');
	return unavailable(what, arrivesWith);
};

/** Every command (README.md lists them for users). Heavy modules load only when their command runs. */
export const commands = {
	install: {
		summary: 'wizard → plan → confirm → live run → summary (the default)',
		flags: ['--yes', '--only PHASES', '--force-unlock'],
		load: async () => import('./install.js'),
	},
	plan: {
		summary:
			'show what an install would do, without doing it; --probe also reads the host and GitHub',
		flags: ['--probe', '--only PHASES'],
		load: async () => import('./plan.js'),
	},
	resume: {
		summary: 'continue the last interrupted install with its saved answers',
		flags: ['--yes', '--force-unlock'],
		load: async () => import('./resume.js'),
	},
	status: {
		summary:
			'what is installed, healthy and online; the exit code says if all is well',
		flags: ['--in-cluster'],
		load: notYet('status', 'the platform and runner phases'),
	},
	doctor: {
		summary:
			'check local prerequisites, SSH, host key, token permissions and DNS',
		flags: [],
		load: notYet('doctor', 'the cluster phase'),
	},
	uninstall: {
		summary: 'remove what the installer made, in reverse, with a plan first',
		flags: ['--yes'],
		load: notYet('uninstall', 'the cluster phase'),
	},
	runbook: {
		summary: 'write the manual-recovery runbook for this installation',
		flags: [],
		load: notYet('runbook', 'the platform phase'),
	},
	build: {
		summary:
			'build the codex-k8s images in the cluster (the deploy workflow runs it with --in-cluster)',
		flags: ['--in-cluster'],
		load: notYet('build', 'the platform phase'),
	},
	deploy: {
		summary:
			'roll the built images out to staging (the deploy workflow runs it with --in-cluster)',
		flags: ['--in-cluster'],
		load: notYet('deploy', 'the platform phase'),
	},
} as const satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commands;

export const commandNames = Object.keys(commands) as CommandName[];
