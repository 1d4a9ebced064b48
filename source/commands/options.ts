import {fields} from '../config/fields.js';
import {phases} from '../config/schema.js';

/**
 * One command-line option. The parser, `--help`, "did you mean", the check that a flag applies to
 * the command, and the shell completions all read these tables.
 */
export type Option = {
	/** Long name without the dashes. */
	name: string;
	short?: string;
	/** What the value is called in help (`FILE`, `PHASES`); none for a switch. */
	value?: string;
	/** For completion: the values it takes, or that it names a file. */
	values?: readonly string[] | 'file';
	description: string;
};

/** Options every command that reads answers takes. */
export const commonOptions: readonly Option[] = [
	{
		name: 'config',
		short: 'c',
		value: 'FILE',
		values: 'file',
		description: 'YAML file with any answers (see docs/configuration.md)',
	},
	{
		name: 'non-interactive',
		description: 'never prompt; a missing answer fails naming its flag',
	},
	{
		name: 'json',
		description: 'print one JSON document on stdout, errors included',
	},
	{
		name: 'verbose',
		description: 'show remote output and where each step spent its time',
	},
	{
		name: 'log-file',
		value: 'FILE',
		values: 'file',
		description: 'where the full, redacted log goes',
	},
	{
		name: 'state-dir',
		value: 'DIR',
		values: 'file',
		description: 'where saved answers and logs live (CODEXK8S_STATE_DIR)',
	},
];

/** Options only some commands take; `commands` in commands/index.ts says which. */
export const commandOptions = {
	yes: {name: 'yes', short: 'y', description: 'do not ask for confirmation'},
	probe: {
		name: 'probe',
		description: 'also run the read-only checks on the host and GitHub',
	},
	only: {
		name: 'only',
		value: 'PHASES',
		values: phases,
		description: `only these phases, comma-separated: ${phases.join(', ')}`,
	},
	'force-unlock': {
		name: 'force-unlock',
		description:
			'take over the host lock of an install that did not finish (never a live one)',
	},
	output: {
		name: 'output',
		short: 'o',
		value: 'FILE',
		values: 'file',
		description: 'where to write it (- for standard output)',
	},
	remove: {
		name: 'remove',
		value: 'WHAT',
		values: ['hardening', 'operator', 'github'],
		description:
			'also remove what is kept by default, comma-separated: hardening (SSH drop-in, firewall, fail2ban, upgrades), operator (the user and its sudo), github (variables, secrets, webhook, workflow)',
	},
	'in-cluster': {
		name: 'in-cluster',
		description:
			"run inside the cluster, from the deploy workflow, with the runner pod's credentials",
	},
} as const satisfies Record<string, Option>;

export type CommandOption = keyof typeof commandOptions;

/** The answers: one flag per answer field (never a secret), and the token's two ways in. */
export const answerOptions: readonly Option[] = [
	...fields
		.filter(field => field.flag)
		.map((field): Option => ({
			name: field.flag!,
			value:
				field.kind === 'choice'
					? field.choices!.join('|')
					: field.isPath
						? 'FILE'
						: 'VALUE',
			values:
				field.kind === 'choice'
					? field.choices
					: field.isPath
						? 'file'
						: undefined,
			description: `${field.description} (${field.env})`,
		})),
	{
		name: 'token-file',
		value: 'FILE',
		values: 'file',
		description:
			'read the GitHub token from a file (or CODEXK8S_GITHUB_TOKEN, or --token-stdin)',
	},
	{
		name: 'token-stdin',
		description: 'read the GitHub token from standard input',
	},
];

/** Taken by every command, even where nothing else is. */
export const globalOptions: readonly Option[] = [
	{name: 'help', short: 'h', description: 'show help'},
	{name: 'version', description: 'print the version'},
];

export const allOptions: readonly Option[] = [
	...globalOptions,
	...commonOptions,
	...Object.values(commandOptions),
	...answerOptions,
];

export const flagOf = (option: Option) => `--${option.name}`;

/** `--only PHASES`, `--yes, -y`: how help names an option. */
export const optionLabel = (option: Option) =>
	`--${option.name}${option.short ? `, -${option.short}` : ''}${option.value ? ` ${option.value}` : ''}`;
