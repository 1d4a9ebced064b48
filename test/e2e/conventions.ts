import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {commandNames} from '../../source/commands/index.js';
import {ensureBuilt, root, runCli, runCliInTerminal} from '../helpers/cli.js';

const example = (name: string) => join(root, 'docs', 'examples', name);

test.before(() => {
	ensureBuilt();
});

test('every help screen fits 80 columns; the global one lists --only and --probe, and every command is built', t => {
	for (const args of [
		['--help'],
		...commandNames.map(name => [name, '--help']),
	]) {
		const {code, stdout} = runCli(args);
		t.is(code, 0);
		const wide = stdout.split('\n').filter(line => line.length > 80);
		t.deepEqual(wide, [], `${args.join(' ')}: no line over 80 columns`);
	}

	const help = runCli(['--help']).stdout;
	t.regex(help, /^ {2}--only PHASES +only these phases/m);
	t.regex(help, /^ {2}--probe +also run the read-only checks/m);
	t.regex(help, /^ {2}doctor +/m);
	t.notRegex(help, /not built yet/);
});

test('hints name `npx codex-k8s-install` when npx started it (the runbook with the version that wrote it), and the bare name otherwise', t => {
	const runbook = [
		'runbook',
		'--output',
		'-',
		'--host',
		'h',
		'--mode',
		'local',
	];
	const viaNpx = runCli(runbook, {env: {npm_command: 'exec'}});
	t.is(viaNpx.code, 0);
	t.regex(
		viaNpx.stdout,
		/`npx codex-k8s-install@\d+\.\d+\.\d+\S* resume` continues/,
	);
	t.regex(
		viaNpx.stdout,
		/^- npx codex-k8s-install@\d+\.\d+\.\d+\S* install --only cluster /m,
	);
	const direct = runCli(runbook);
	t.regex(direct.stdout, /(?<!npx )`codex-k8s-install resume` continues/);
	t.notRegex(direct.stdout, /npx/);
	t.regex(
		runCli(['--help'], {env: {npm_command: 'exec'}}).stdout,
		/^ {2}\$ npx codex-k8s-install \[command]/m,
	);
});

test('NO_COLOR turns colour off in a terminal, as FORCE_COLOR=0 does', t => {
	const screen = (env: Record<string, string>) =>
		runCliInTerminal(['plan', '--config', example('local.yaml')], {
			columns: 100,
			env,
		}).screen;

	// eslint-disable-next-line no-control-regex
	const colour = /\u001B\[(?:\d+;)*\d+m/;
	t.regex(screen({}), colour, 'a terminal gets colour by default');
	t.notRegex(screen({NO_COLOR: '1'}), colour);
	t.regex(
		screen({NO_COLOR: '1'}),
		/Plan for root@203\.0\.113\.10:22 · local mode · offline/,
	);
});

test('--version and --help with --json print one JSON document', t => {
	const version = JSON.parse(runCli(['--version', '--json']).stdout) as {
		ok: boolean;
		version: string;
	};
	t.true(version.ok);
	t.regex(version.version, /^\d+\.\d+\.\d+$/);
	const help = JSON.parse(runCli(['plan', '--help', '--json']).stdout) as {
		help: string;
	};
	t.regex(help.help, /^codex-k8s-install plan — /);
});

/** What bash offers after `words`, from the script `completion bash` prints. */
function bashCompletes(script: string, words: string[]): string[] {
	const program = `${script}
COMP_WORDS=(${words.map(word => `'${word}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_codex_k8s_install
printf '%s\\n' "\${COMPREPLY[@]}"`;
	return execFileSync('bash', ['--norc', '-c', program], {encoding: 'utf8'})
		.split('\n')
		.filter(Boolean);
}

test('bash completion offers commands, each command’s own options, choices and phases', t => {
	const script = runCli(['completion', 'bash']).stdout;
	const complete = (...words: string[]) =>
		bashCompletes(script, ['codex-k8s-install', ...words]);
	t.deepEqual(complete('pl'), ['plan']);
	t.deepEqual(complete('plan', '--pr'), ['--probe']);
	t.deepEqual(complete('install', '--pr'), [], 'install has no --probe');
	t.deepEqual(complete('--host', 'h', 'resume', '--f'), ['--force-unlock']);
	t.deepEqual(complete('plan', '--only', 'host,cl'), ['host,cluster']);
	t.deepEqual(complete('--mode', 's'), ['server']);
	t.deepEqual(complete('completion', ''), ['bash', 'zsh', 'fish']);
	t.deepEqual(complete('--yes'), ['--yes'], 'install is the default command');
});

for (const shell of ['zsh', 'fish']) {
	const available = spawnSync(shell, ['--version']).status === 0;
	// Under CI the shells must be there (apt-get install zsh fish); elsewhere a missing one is said.
	(available || process.env['CI'] ? test : test.skip)(
		`the ${shell} completion script parses in ${shell}`,
		t => {
			const script = runCli(['completion', shell]).stdout;
			t.regex(script, new RegExp(`completion for ${shell}`));
			const file = join(mkdtempSync(join(tmpdir(), 'ck8s-completion-')), shell);
			writeFileSync(file, script);
			const check = spawnSync(shell, ['-n', file], {encoding: 'utf8'});
			t.is(check.status, 0, check.stderr);
			t.regex(script, /force-unlock/);
		},
	);
}

(spawnSync('fish', ['--version']).status === 0 || process.env['CI']
	? test
	: test.skip)(
	'fish completes each command’s own options and the choices',
	t => {
		const file = join(mkdtempSync(join(tmpdir(), 'ck8s-completion-')), 'fish');
		writeFileSync(file, runCli(['completion', 'fish']).stdout);
		const complete = (line: string) =>
			execFileSync(
				'fish',
				['--no-config', '-c', `source ${file}; complete -C '${line}'`],
				{encoding: 'utf8'},
			)
				.split('\n')
				.filter(Boolean)
				.map(entry => entry.split('\t')[0]);
		t.deepEqual(complete('codex-k8s-install plan --pr'), ['--probe']);
		t.deepEqual(complete('codex-k8s-install install --pr'), []);
		t.deepEqual(complete('codex-k8s-install completion '), [
			'bash',
			'fish',
			'zsh',
		]);
		t.deepEqual(complete('codex-k8s-install --mode '), ['local', 'server']);
	},
);
