import {commands, commandNames, type CommandName} from './commands/index.js';
import {fields} from './config/fields.js';

const pad = (text: string, width: number) => text.padEnd(width);

const common = [
	[
		'--config, -c FILE',
		'YAML file with any answers (see docs/configuration.md)',
	],
	['--yes, -y', 'do not ask for confirmation'],
	['--non-interactive', 'never prompt; a missing answer fails naming its flag'],
	['--json', 'print one JSON document on stdout'],
	['--verbose', 'show remote output as it happens'],
	['--log-file FILE', 'where the full, redacted log goes'],
	['--state-dir DIR', 'where saved answers and logs live (CODEXK8S_STATE_DIR)'],
];

function answerLines(): string[][] {
	const lines = fields
		.filter(field => field.flag)
		.map(field => [
			`--${field.flag} ${field.kind === 'choice' ? field.choices!.join('|') : 'VALUE'}`,
			`${field.description} (${field.env})`,
		]);
	lines.push(
		[
			'--token-file FILE',
			'read the GitHub token from a file (or CODEXK8S_GITHUB_TOKEN, or --token-stdin)',
		],
		['--token-stdin', 'read the GitHub token from standard input'],
	);
	return lines;
}

const table = (rows: string[][]) => {
	const width = Math.max(...rows.map(([left]) => left!.length)) + 2;
	return rows
		.map(([left, right]) => `  ${pad(left!, width)}${right}`)
		.join('\n');
};

export function globalHelp(version: string): string {
	const commandRows = commandNames.map(name => [name, commands[name].summary]);
	return `codex-k8s-install ${version}
Turn a fresh Ubuntu 24.04 / Debian server into a codex-k8s staging environment.

Usage
  $ npx codex-k8s-install [command] [options]

Commands
${table(commandRows)}

Options
${table(common)}

Answers (each also has an environment variable; secrets never go on the command line)
${table(answerLines())}

Run \`codex-k8s-install COMMAND --help\` for one command. Docs: docs/ in the package.
Exit codes: 0 ok, 1 failed, 2 usage error, 130 interrupted.`;
}

export function commandHelp(name: CommandName): string {
	const entry = commands[name];
	const own = entry.flags.map(flag => [flag, flagNote(flag)]);
	return `codex-k8s-install ${name} — ${entry.summary}

Usage
  $ npx codex-k8s-install ${name} [options]
${own.length > 0 ? `\nOptions of ${name}\n${table(own)}\n` : ''}
Common options
${table(common)}

Answers
${table(answerLines())}`;
}

function flagNote(flag: string): string {
	return (
		{
			'--yes': 'run without asking for confirmation',
			'--probe': 'also run the read-only checks on the host and GitHub',
			'--force-unlock':
				'take over the host lock left by an install that did not finish (never a live one)',
			'--in-cluster':
				"run inside the cluster, from the deploy workflow, with the runner pod's own credentials",
			'--only PHASES':
				'only these phases (comma list of preflight, host, cluster, platform, runner, github, verify)',
		}[flag] ?? ''
	);
}
