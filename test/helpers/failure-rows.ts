/** What a row may use: paths and ports made for the run. */
export type Fixtures = {
	root: string;
	/** An existing regular file. */
	file: string;
	/** An existing, empty directory. */
	directory: string;
	/** A private key that no host accepts (it never gets that far). */
	key: string;
	/** A port on 127.0.0.1 where nothing listens. */
	closedPort: number;
	/** A port on 127.0.0.1 that accepts and never says a word. */
	blackHolePort: number;
	config(name: string, text: string): string;
};

type Given<T> = T | ((fixtures: Fixtures) => T);

export type FailureRow = {
	name: string;
	args: Given<string[]>;
	env?: Given<Record<string, string>>;
	code: 1 | 2;
	/** The exact first line on stderr. */
	first: Given<string>;
	/** What the rest of stderr must say, where the first line is shared (`Invalid settings:`). */
	rest?: RegExp;
};

const usage = 2 as const;
const failed = 1 as const;
const invalid = '✖ Invalid settings:';
const local = ['--mode', 'local'];
const offline = (...args: string[]) => [
	'plan',
	'--host',
	'h',
	...local,
	...args,
];
const run = (...args: string[]) => [
	'install',
	'--non-interactive',
	'--yes',
	...args,
];
const notApply = (flag: string, command: string) =>
	`✖ --${flag} does not apply to \`${command}\``;
const unknownOption = (typed: string, suggestion?: string) =>
	`✖ Unknown option '${typed}'${suggestion ? `; did you mean ${suggestion}?` : ''}`;
const configFile =
	(name: string, text: string) =>
	(fixtures: Fixtures): string[] => [
		'plan',
		'--host',
		'h',
		'--config',
		fixtures.config(name, text),
	];
/** The host phase only, at `host:port` with `key`: what the network rows connect to. */
const hostOnly = (host: string, port: number | string, key: string) => [
	'--only',
	'host',
	...local,
	'--host',
	host,
	'--port',
	String(port),
	'--identity',
	key,
];
const probe = (host: string, port: number | string, key: string) => [
	'plan',
	'--probe',
	...hostOnly(host, port, key),
];
const install = (host: string, port: number | string, key: string) =>
	run(...hostOnly(host, port, key));

const commandRows: FailureRow[] = [
	['instal', 'install'],
	['pln', 'plan'],
	['stauts', 'status'],
	['resme', 'resume'],
	['doctr', 'doctor'],
	['uninstal', 'uninstall'],
	['completoin', 'completion'],
	['frobnicate', undefined],
	['INSTALL', 'install'],
].map(([typed, suggestion]) => ({
	name: `unknown command ${typed!}`,
	args: [typed!],
	code: usage,
	first: `✖ Unknown command "${typed!}"${suggestion ? `; did you mean ${suggestion}?` : ''}`,
}));

const optionRows: FailureRow[] = [
	['--hots', '--host'],
	['--prot', '--port'],
	['--verbos', '--verbose'],
	['--stat-dir', '--state-dir'],
	['--log-fle', '--log-file'],
	['--non-interative', '--non-interactive'],
	['--forceunlock', '--force-unlock'],
	['--tokn-file', '--token-file'],
	['--repository', undefined],
	['--token', undefined],
	['--frobnicate', undefined],
].map(([typed, suggestion]) => ({
	name: `unknown option ${typed!}`,
	args: ['plan', typed!],
	code: usage,
	first: unknownOption(typed!, suggestion),
}));

const notApplyingRows: FailureRow[] = [
	['plan', 'force-unlock'],
	['plan', 'yes'],
	['plan', 'in-cluster'],
	['install', 'probe'],
	['install', 'in-cluster'],
	['resume', 'probe'],
	['resume', 'only'],
	['status', 'yes'],
	['doctor', 'probe'],
	['runbook', 'force-unlock'],
	['completion', 'json'],
].map(([command, flag]) => ({
	name: `${command!} --${flag!} is refused`,
	args: [
		command!,
		...(command === 'completion' ? ['bash'] : []),
		`--${flag!}`,
		...(flag === 'only' ? ['host'] : []),
	],
	code: usage,
	first: notApply(flag!, command!),
}));

const argumentRows: FailureRow[] = [
	...(
		[
			[
				'a short option that does not exist',
				['plan', '-x'],
				unknownOption('-x'),
			],
			[
				'--host without its value',
				['plan', '--host'],
				"✖ Option '--host <value>' argument missing",
			],
			[
				'--only without its value',
				['plan', '--only'],
				"✖ Option '--only <value>' argument missing",
			],
			[
				'a switch given a value',
				['plan', '--probe=yes'],
				"✖ Option '--probe' does not take an argument",
			],
			[
				'a stray argument after plan',
				['plan', 'now'],
				'✖ Unexpected argument "now"',
			],
			[
				'a stray argument after install',
				['install', 'host.example'],
				'✖ Unexpected argument "host.example"',
			],
			[
				'completion without a shell',
				['completion'],
				'✖ `completion` needs one of bash, zsh, fish',
			],
			[
				'completion for a misspelt shell',
				['completion', 'bsh'],
				'✖ `completion` got "bsh"; did you mean bash?',
			],
			[
				'completion for an unknown shell',
				['completion', 'powershell'],
				'✖ `completion` got "powershell"',
			],
			[
				'completion with two shells',
				['completion', 'bash', 'zsh'],
				'✖ Unexpected argument "zsh"',
			],
		] as const
	).map(([name, args, first]) => ({
		name,
		args: [...args],
		code: usage,
		first,
	})),
	...[
		['clustr', 'unknown phase clustr'],
		['host,bogus', 'unknown phase bogus'],
		['HOST', 'unknown phase HOST'],
		['', 'no phase'],
		[',,', 'no phase'],
	].map(([only, what]) => ({
		name: `--only "${only!}"`,
		args: offline('--only', only!),
		code: usage,
		first: `✖ --only got ${what!}`,
	})),
];

const answerRows: FailureRow[] = [
	['--mode', 'remote', /mode must be one of: local, server/],
	[
		'--port',
		'0',
		/connection\.port must be a whole number from 1 to 65535, got "0"/,
	],
	[
		'--port',
		'65536',
		/connection\.port must be a whole number from 1 to 65535/,
	],
	[
		'--port',
		'abc',
		/connection\.port must be a whole number from 1 to 65535, got "abc"/,
	],
	['--port', '22.5', /connection\.port must be a whole number/],
	['--repo', 'noslash', /github\.repo must be owner\/name/],
	['--repo', 'a/b/c', /github\.repo must be owner\/name/],
	['--host-key-fingerprint', 'nonsense', /connection\.hostKeyFingerprint/],
	['--github-api-url', 'not-a-url', /github\.apiUrl/],
	['--operator-user', 'Bad-Name', /operator\.user must be a Linux user name/],
	['--operator-user', '', /operator\.user/],
	['--user', '', /connection\.user/],
	['--host', 'has space', /connection\.host/],
	['--acme-email', 'not-an-email', /acmeEmail/],
	['--domain', 'not a domain', /domain/],
].map(([flag, value, rest]) => ({
	name: `${flag as string} "${value as string}" is invalid`,
	args: ['plan', ...local, flag as string, value as string],
	code: usage,
	first: invalid,
	rest: rest as RegExp,
}));

const envRows: FailureRow[] = [
	[
		'CODEXK8S_SSH_PORT',
		'abc',
		/connection\.port must be a whole number from 1 to 65535, got "abc" from environment \(CODEXK8S_SSH_PORT\)/,
	],
	['CODEXK8S_MODE', 'cloud', /mode must be one of: local, server/],
	['CODEXK8S_GITHUB_REPO', 'bad', /github\.repo must be owner\/name/],
	['CODEXK8S_HOST_KEY_FINGERPRINT', 'MD5:00', /connection\.hostKeyFingerprint/],
	['CODEXK8S_GITHUB_API_URL', 'ftp//x', /github\.apiUrl/],
	[
		'CODEXK8S_OPERATOR_USER',
		'Root',
		/operator\.user must be a Linux user name/,
	],
	['CODEXK8S_ACME_EMAIL', 'nobody', /acmeEmail/],
].map(([variable, value, rest]) => ({
	name: `${variable as string}=${value as string} is invalid`,
	args: ['plan', '--host', 'h'],
	env: {[variable as string]: value as string},
	code: usage,
	first: invalid,
	rest: rest as RegExp,
}));

const pathRows: FailureRow[] = [
	{
		name: '--state-dir naming a file (plan)',
		args: ({file}) => offline('--state-dir', file),
		code: usage,
		first: ({file}) => `✖ --state-dir ${file} is a file, not a directory`,
	},
	{
		name: '--state-dir naming a file (install)',
		args: ({file}) => run('--host', 'h', ...local, '--state-dir', file),
		code: usage,
		first: ({file}) => `✖ --state-dir ${file} is a file, not a directory`,
	},
	{
		name: '--state-dir below a file',
		args: ({file}) => offline('--state-dir', `${file}/state`),
		code: usage,
		first: ({file}) =>
			`✖ --state-dir ${file}/state cannot be created: ${file} is a file`,
	},
	{
		name: 'CODEXK8S_STATE_DIR naming a file',
		args: offline(),
		env: ({file}) => ({CODEXK8S_STATE_DIR: file}),
		code: usage,
		first: ({file}) =>
			`✖ CODEXK8S_STATE_DIR ${file} is a file, not a directory`,
	},
	{
		name: '--log-file naming a directory (plan)',
		args: ({directory}) => offline('--log-file', directory),
		code: usage,
		first: ({directory}) =>
			`✖ --log-file ${directory} is a directory, not a file`,
	},
	{
		name: '--log-file naming a directory (install)',
		args: ({directory}) =>
			run('--host', 'h', ...local, '--log-file', directory),
		code: usage,
		first: ({directory}) =>
			`✖ --log-file ${directory} is a directory, not a file`,
	},
	{
		name: '--log-file below a file',
		args: ({file}) => offline('--log-file', `${file}/run.log`),
		code: usage,
		first: ({file}) =>
			`✖ --log-file ${file}/run.log cannot be created: ${file} is a file`,
	},
];

const configRows: FailureRow[] = [
	{
		name: '--config naming a missing file',
		args: ({root}) => offline('--config', `${root}/missing.yaml`),
		code: usage,
		first: ({root}) =>
			`✖ Cannot read config file ${root}/missing.yaml: it does not exist`,
	},
	{
		name: '--config naming a directory',
		args: ({directory}) => offline('--config', directory),
		code: usage,
		first: ({directory}) =>
			`✖ Cannot read config file ${directory}: it is a folder, not a file`,
	},
	{
		name: 'config file that is not YAML',
		args: configFile('broken.yaml', 'connection: {host: [\n'),
		code: usage,
		first: ({root}) =>
			`✖ config file ${root}/broken.yaml is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1`,
	},
	{
		name: 'config file holding a list',
		args: configFile('list.yaml', '- host\n- port\n'),
		code: usage,
		first: ({root}) =>
			`✖ config file ${root}/list.yaml must be a mapping of settings like \`connection: {host: …}\`, but it holds a list`,
	},
	{
		name: 'config key misspelt',
		args: configFile('typo.yaml', 'conection:\n  host: h\n'),
		code: usage,
		first: invalid,
		rest: /conection is not a known setting.*; did you mean connection\?/,
	},
	{
		name: 'config port not a number',
		args: configFile('port.yaml', 'connection:\n  port: twenty-two\n'),
		code: usage,
		first: invalid,
		rest: /connection\.port must be a whole number from 1 to 65535, got "twenty-two" from config file/,
	},
	{
		name: 'config mode not a choice',
		args: configFile('mode.yaml', 'mode: cloud\n'),
		code: usage,
		first: invalid,
		rest: /mode must be one of: local, server/,
	},
	{
		name: 'config mode misspelt',
		args: configFile('mode-typo.yaml', 'mode: sever...\n'),
		code: usage,
		first: invalid,
		rest: /mode must be one of: local, server/,
	},
	{
		name: 'config nested key misspelt',
		args: configFile('nested.yaml', 'connection:\n  hots: h\n'),
		code: usage,
		first: invalid,
		rest: /connection\.hots is not a known setting.*did you mean connection\.host\?/,
	},
	{
		name: 'config secret written in clear',
		args: configFile('secret.yaml', 'github:\n  token: ghp_notreallyatoken\n'),
		code: usage,
		first: ({root}) =>
			`✖ config file ${root}/secret.yaml: github.token is a secret and must not be written in a config file (its value is not shown)`,
	},
	{
		name: '--token-file naming a missing file',
		args: ({root}) => offline('--token-file', `${root}/no-token`),
		code: usage,
		first: ({root}) =>
			`✖ Cannot read the secret file ${root}/no-token named by --token-file: it does not exist`,
	},
	{
		name: '--token-file naming an empty file',
		args: ({config}) => offline('--token-file', config('empty-token', '')),
		code: usage,
		first: ({root}) =>
			`✖ The secret file ${root}/empty-token named by --token-file is empty`,
	},
	{
		name: '--token-file naming a directory',
		args: ({directory}) => offline('--token-file', directory),
		code: usage,
		first: ({directory}) =>
			`✖ Cannot read the secret file ${directory} named by --token-file: it is a folder, not a file`,
	},
	{
		name: 'CODEXK8S_GITHUB_TOKEN_FILE naming a missing file',
		args: offline(),
		env: ({root}) => ({CODEXK8S_GITHUB_TOKEN_FILE: `${root}/gone`}),
		code: usage,
		first: ({root}) =>
			`✖ Cannot read the secret file ${root}/gone named by CODEXK8S_GITHUB_TOKEN_FILE: it does not exist`,
	},
	{
		name: '--token-stdin with nothing on standard input',
		args: offline('--token-stdin'),
		code: usage,
		first: '✖ --token-stdin was given but standard input held no token',
	},
	{
		name: '--token-stdin and --token-file together',
		args: ({file}) => offline('--token-stdin', '--token-file', file),
		code: usage,
		first: '✖ --token-file and --token-stdin both give the GitHub token',
	},
];

/** What the platform phase needs beyond the rest (a full install includes it). */
const platformAnswers =
	', platform.ownerEmail, platform.oauthClientId, platform.oauthClientSecret, platform.gitBotToken, platform.openaiApiKey';

const missingRows: FailureRow[] = [
	{
		name: 'install with no answers at all',
		args: run(),
		code: usage,
		first: `✖ Missing 9 answers: connection.host, mode, github.repo, github.token${platformAnswers}`,
	},
	{
		name: 'server mode without domain, e-mail or token',
		args: run('--host', '127.0.0.1', '--mode', 'server', '--repo', 'acme/app'),
		code: usage,
		first: `✖ Missing 8 answers: domain, acmeEmail, github.token${platformAnswers}`,
	},
	{
		name: 'server mode without a domain only',
		args: run(
			'--host',
			'h',
			'--mode',
			'server',
			'--acme-email',
			'ops@example.com',
			'--only',
			'host',
		),
		code: usage,
		first: '✖ Missing an answer: domain',
	},
	{
		name: 'local mode without a token',
		args: run('--host', 'h', ...local, '--repo', 'acme/app'),
		code: usage,
		first: `✖ Missing 6 answers: github.token${platformAnswers}`,
	},
	{
		name: '--only host without a mode',
		args: run('--host', 'h', '--only', 'host'),
		code: usage,
		first: '✖ Missing an answer: mode',
	},
	{
		name: '--only github without repository and token',
		args: run('--host', 'h', ...local, '--only', 'github'),
		code: usage,
		first: '✖ Missing 2 answers: github.repo, github.token',
	},
	{
		name: 'no host, from the environment only',
		args: run(),
		env: {CODEXK8S_MODE: 'local', CODEXK8S_GITHUB_REPO: 'acme/app'},
		code: usage,
		first: `✖ Missing 7 answers: connection.host, github.token${platformAnswers}`,
	},
	{
		name: 'plan --probe with no answers at all',
		args: ['plan', '--probe'],
		code: usage,
		first: `✖ Missing 9 answers: connection.host, mode, github.repo, github.token${platformAnswers}`,
	},
	{
		name: 'plan --probe in server mode without domain, e-mail or token: said before connecting',
		// A refused port: had it connected first, the refusal would be the first line.
		args: ({closedPort}) => [
			'plan',
			'--probe',
			'--host',
			'127.0.0.1',
			'--port',
			String(closedPort),
			'--mode',
			'server',
			'--repo',
			'acme/app',
		],
		code: usage,
		first: `✖ Missing 8 answers: domain, acmeEmail, github.token${platformAnswers}`,
		rest: /domain: --domain or CODEXK8S_DOMAIN[\s\S]*acmeEmail: --acme-email[\s\S]*github\.token: --token-file FILE/,
	},
	{
		name: 'plan --probe --only github without repository and token',
		args: ['plan', '--probe', '--host', 'h', ...local, '--only', 'github'],
		code: usage,
		first: '✖ Missing 2 answers: github.repo, github.token',
	},
	{
		name: 'plan --probe --only host in server mode without a domain',
		args: ({closedPort, key}) => [
			'plan',
			'--probe',
			...hostOnly('127.0.0.1', closedPort, key).filter(
				word => word !== 'local' && word !== '--mode',
			),
			'--mode',
			'server',
			'--acme-email',
			'ops@example.com',
		],
		code: usage,
		first: '✖ Missing an answer: domain',
	},
	{
		name: 'resume with nothing to resume',
		args: ['resume', '--non-interactive', '--yes'],
		code: usage,
		first: '✖ There is no unfinished install to resume',
	},
];

const unbuiltRows: FailureRow[] = [
	...['platform', 'host,platform'].map(only => ({
		name: `install --only ${only} without the platform's answers`,
		args: run('--host', 'h', ...local, '--only', only, '--repo', 'acme/app'),
		env: {CODEXK8S_GITHUB_TOKEN: 'github_pat_not_used_here'},
		code: usage,
		first: `✖ Missing 5 answers: ${platformAnswers.slice(2)}`,
	})),
	...['status', 'uninstall'].map(command => ({
		name: `${command} without a host`,
		args: [command],
		code: usage,
		first: '✖ No target host given',
	})),
	{
		name: 'uninstall --remove of something unknown',
		args: ['uninstall', '--remove', 'hardening,everything'],
		code: usage,
		first: '✖ --remove got unknown everything',
	},
	...['build', 'deploy'].flatMap((command): FailureRow[] => [
		{
			name: `${command} --in-cluster outside a pod`,
			args: [command, '--in-cluster'],
			code: failed,
			first: '✖ Not running inside a Kubernetes pod',
		},
	]),
	...['build', 'deploy'].map((command): FailureRow => ({
		name: `${command} without --in-cluster`,
		args: [command],
		code: usage,
		first: `✖ \`${command}\` runs inside the cluster only: pass --in-cluster (the deploy workflow does)`,
	})),
];

const networkRows: FailureRow[] = [
	{
		name: 'plan --probe: connection refused',
		args: ({closedPort, key}) => probe('127.0.0.1', closedPort, key),
		code: failed,
		first: ({closedPort}) =>
			`✖ nothing is listening on 127.0.0.1 port ${closedPort}: the connection was refused`,
	},
	{
		name: 'install: connection refused',
		args: ({closedPort, key}) => install('127.0.0.1', closedPort, key),
		code: failed,
		first: ({closedPort}) =>
			`✖ nothing is listening on 127.0.0.1 port ${closedPort}: the connection was refused`,
	},
	{
		name: 'plan --probe: a name that does not resolve',
		args: ({key}) => probe('nowhere.invalid', 22, key),
		code: failed,
		first: '✖ nowhere.invalid does not resolve: no such host name',
	},
	{
		name: 'install: a name that does not resolve',
		args: ({key}) => install('nowhere.invalid', 22, key),
		code: failed,
		first: '✖ nowhere.invalid does not resolve: no such host name',
	},
	{
		name: 'plan --probe: a port that accepts and never answers',
		args: ({blackHolePort, key}) => probe('127.0.0.1', blackHolePort, key),
		code: failed,
		first: ({blackHolePort}) =>
			`✖ 127.0.0.1 port ${blackHolePort} accepted the connection but no SSH handshake completed within 20 s`,
	},
];

export const failureRows: FailureRow[] = [
	...commandRows,
	...optionRows,
	...notApplyingRows,
	...argumentRows,
	...answerRows,
	...envRows,
	...pathRows,
	...configRows,
	...missingRows,
	...unbuiltRows,
	...networkRows,
];
