import {configKey, fields, type Field} from './fields.js';

const groupTitles: Record<string, string> = {
	connection: 'Connection to the server',
	operator: 'Operator account',
	github: 'GitHub',
	'': 'Runner mode, domain and firewall',
	platform: 'Platform (codex-k8s itself)',
	runner: 'GitHub Actions runner',
	timeouts: 'Timeouts (seconds)',
	proxy: 'Outbound proxy of the server',
};

const code = (text: string) => `\`${text}\``;
const cell = (text: string) =>
	text.replaceAll('|', String.raw`\|`).replaceAll('\n', ' ');

function defaultOf(field: Field): string {
	if (field.defaultValue === undefined) {
		return '';
	}

	if (Array.isArray(field.defaultValue)) {
		return field.defaultValue.length === 0
			? '(none)'
			: code(field.defaultValue.join(','));
	}

	return code(
		typeof field.defaultValue === 'string'
			? field.defaultValue
			: JSON.stringify(field.defaultValue),
	);
}

function row(field: Field): string {
	const flags = [
		...(field.flag ? [`--${field.flag}`] : []),
		...(field.alsoFrom ?? []),
	].map(flag => code(flag));
	const env = [field.env, ...(field.secret ? [`${field.env}_FILE`] : [])].map(
		name => code(name),
	);
	const accepts = field.isPath
		? 'a file path (`~/` is your home)'
		: field.rule.replace(/^must be /v, '');
	const description =
		field.description.charAt(0).toUpperCase() + field.description.slice(1);
	const cells = [
		code(configKey(field)) + (field.secret ? ' (a file path)' : ''),
		flags.join(', '),
		env.join(', '),
		defaultOf(field),
		field.secret ? 'yes' : '',
		`${description}. Accepts ${accepts}${field.kind === 'list' ? ' (comma list in the environment)' : ''}.`,
	];
	return `| ${cells.map(text => cell(text)).join(' | ')} |`;
}

const groupOf = (field: Field) =>
	field.path.includes('.') ? field.path.split('.')[0]! : '';

function tables(): string {
	const groups = [...new Set(fields.map(field => groupOf(field)))];
	return groups
		.map(group => {
			const title = groupTitles[group] ?? group;
			const rows = fields
				.filter(field => groupOf(field) === group)
				.map(field => row(field));
			return [
				`### ${title}`,
				'',
				'| Config file key | Flag | Environment | Default | Secret | Description |',
				'|---|---|---|---|---|---|',
				...rows,
			].join('\n');
		})
		.join('\n\n');
}

const intro = `# Configuration reference

<!-- Generated from source/config/schema.ts by \`npm run docs:config\`; do not edit by hand. -->

Every answer the installer needs can come from five places. When the same setting is given in more
than one, the first of these wins:

1. a command-line flag (\`--host 203.0.113.10\`);
2. an environment variable (\`CODEXK8S_HOST=203.0.113.10\`);
3. the YAML config file given with \`--config FILE\` (\`connection: {host: 203.0.113.10}\`);
4. the answers saved by an earlier run against the same server (never secrets);
5. the default in the tables below.

Only what you chose in the wizard or wrote in a config file is saved for the server. Flags and
environment variables apply to the run they were given to: a timeout or \`--host-key-fingerprint\`
given once is not used again by a later run. \`resume\` is the exception that continues one run: it
reuses the flags and variables the interrupted run was started with.

The GitHub token read with \`--token-stdin\` overrides every other source of the token.

## Secrets

Settings marked *secret* never go on the command line and are never saved. Give each one as

- its environment variable, e.g. \`CODEXK8S_GITHUB_TOKEN\`;
- the same variable with \`_FILE\` appended, holding the path of a file that contains the secret,
  e.g. \`CODEXK8S_GITHUB_TOKEN_FILE=~/.config/codex-k8s/github-token\` (setting both is an error);
- a \`…File\` key in the config file, e.g. \`github.tokenFile: ~/.config/codex-k8s/github-token\`;
  a relative path is taken from the config file's folder;
- for the GitHub token only, \`--token-file FILE\` or \`--token-stdin\`;
- or the wizard's masked prompt.

A secret written directly in the config file (\`github.token: …\`) is refused. Secret files are read
once, surrounding white space and the final line break are dropped, and an empty file is an error.
No error message ever shows a secret's value.

## Value syntax

- Environment variables: an empty variable counts as unset. Booleans accept \`true\`/\`false\`,
  \`yes\`/\`no\`, \`on\`/\`off\` and \`1\`/\`0\`; lists are comma-separated
  (\`CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS=a@example.com,b@example.com\`).
- Config file: YAML, nested as the dotted keys below (\`platform.ownerEmail\` is
  \`platform: {ownerEmail: …}\`). A key with no value counts as unset. Unknown keys are errors, with a
  suggestion when the name is close to a known one. Relative paths in it (key files, secret files)
  are taken from the config file's folder.
- Annotated examples: [examples/local.yaml](examples/local.yaml) and
  [examples/server.yaml](examples/server.yaml).

## Settings
`;

/** The whole of docs/configuration.md, generated from the input schema so it cannot go stale. */
export function renderReference(): string {
	return `${intro}\n${tables()}\n`;
}
