import test from 'ava';
import {inputSchema} from '../../../source/config/schema.js';
import {openHost} from '../../../source/engine/host.js';
import type {RemoteSession} from '../../../source/remote/types.js';
import {
	operatorKeyFromInput,
	mergeAuthorizedKeys,
	missingKeys,
} from '../../../steps/host/operator-user.js';
import {fakeContext} from '../../helpers/fake-steps.js';
import {aptProxyConf} from '../../../steps/host/base-packages.js';
import {type HostFacts, parseHostFacts} from '../../../steps/host/facts.js';
import {renderJail} from '../../../steps/host/fail2ban.js';
import {
	normalizeTable,
	openPorts,
	publishedMarker,
	renderRulesFile,
	renderTable,
} from '../../../steps/host/firewall-rules.js';
import {paths} from '../../../steps/host/paths.js';
import {
	proofMarker,
	sshDropIn,
	sshHardeningFinding,
} from '../../../steps/host/ssh-hardening.js';
import {sshReloadPlan} from '../../../steps/host/ssh-units.js';
import {systemSettingsFinding} from '../../../steps/host/system-settings.js';

const tcp = (...ports: number[]) => ({tcp: ports.map(String), udp: []});

const unit = (id: string, active: string) => ({id, active, load: 'loaded'});

const facts = (overrides: Partial<HostFacts> = {}): HostFacts => ({
	...parseHostFacts({}),
	os: {id: 'debian', versionId: '12', codename: 'bookworm'},
	...overrides,
});

test('sshd reload: a plain service reloads; Ubuntu 24.04 socket activation reloads the service behind the socket', t => {
	t.deepEqual(
		sshReloadPlan([
			unit('ssh.socket', 'inactive'),
			unit('ssh.service', 'active'),
		]),
		{
			ok: true,
			commands: ['systemctl reload ssh.service'],
			note: 'ssh.service reloads its config',
		},
	);
	t.like(
		sshReloadPlan([
			unit('ssh.socket', 'active'),
			unit('ssh.service', 'active'),
		]),
		{ok: true, commands: ['systemctl reload ssh.service']},
	);
	t.like(sshReloadPlan([unit('sshd.service', 'active')]), {
		commands: ['systemctl reload sshd.service'],
	});
});

test('sshd reload: a port change under socket activation needs daemon-reload and the socket restarted', t => {
	t.like(
		sshReloadPlan(
			[unit('ssh.socket', 'active'), unit('ssh.service', 'active')],
			{portChange: true},
		),
		{
			ok: true,
			commands: [
				'systemctl daemon-reload',
				'systemctl restart ssh.socket',
				'systemctl reload ssh.service',
			],
		},
	);
	t.like(
		sshReloadPlan([
			unit('ssh.socket', 'active'),
			unit('ssh.service', 'inactive'),
		]),
		{
			ok: true,
			commands: [],
		},
	);
	t.like(sshReloadPlan([unit('ssh.service', 'failed')]), {ok: false});
});

test('authorized_keys: keys already there are kept, the operator key is added once', t => {
	const existing = 'ssh-ed25519 AAAAC3Nzaexisting old@laptop\n';
	const key = 'ssh-ed25519 AAAAC3Nzanew operator@laptop';
	t.deepEqual(missingKeys(existing, key), [key]);
	t.is(mergeAuthorizedKeys(existing, key), `${existing}${key}\n`);
	t.is(mergeAuthorizedKeys(`${existing}${key}\n`, key), `${existing}${key}\n`);
	// Same key, other comment or with options: not added again.
	t.deepEqual(
		missingKeys('from="10.0.0.1" ssh-ed25519 AAAAC3Nzanew other', key),
		[],
	);
	t.is(
		mergeAuthorizedKeys('ssh-rsa AAAAB3Nzaold', key),
		`ssh-rsa AAAAB3Nzaold\n${key}\n`,
	);
});

test('firewall: SSH port always open, 80/443 only in server mode once published; nft spellings compare equal', t => {
	const local = inputSchema.parse({mode: 'local'});
	const server = inputSchema.parse({mode: 'server'});
	t.deepEqual(openPorts(local, [2222]), [2222]);
	t.deepEqual(openPorts(local, [2222], true), [2222]);
	t.deepEqual(openPorts(server, [22]), [22]);
	t.deepEqual(openPorts(server, [22], true), [22, 80, 443]);
	t.true(renderRulesFile(tcp(22, 80, 443), true).includes(publishedMarker));
	t.false(renderRulesFile(tcp(22)).includes(publishedMarker));
	t.regex(renderTable(tcp(22)), /tcp dport 22 accept/);
	t.regex(renderTable(tcp(22, 80, 443)), /tcp dport { 22, 80, 443 } accept/);
	t.notRegex(renderTable(tcp(22)), /flush/);
	const printedWithNames = renderTable(tcp(22))
		.replace('ip protocol 1', 'ip protocol icmp')
		.replace('meta l4proto 58', 'meta l4proto ipv6-icmp')
		.replaceAll('\t', '    ');
	t.is(normalizeTable(printedWithNames), normalizeTable(renderTable(tcp(22))));
	t.not(
		normalizeTable(renderTable(tcp(22, 80))),
		normalizeTable(renderTable(tcp(22))),
	);
});

test('system settings in a container: files still written, kernel parts reported as skipped in container', t => {
	const bare = facts({container: 'systemd-nspawn'});
	bare.sysctl.set('net.ipv4.ip_forward', '0');
	const pending = systemSettingsFinding(bare);
	t.is(pending.kind, 'new');
	t.true(
		pending.kind === 'new' &&
			pending.changes.includes(`create ${paths.modules}`) &&
			pending.changes.some(line => line.includes('in a container')),
	);
	const written = facts({container: 'systemd-nspawn'});
	written.files.set(paths.modules, 'overlay\nbr_netfilter\n');
	written.files.set(
		paths.sysctl,
		'net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\n',
	);
	written.sysctl.set('net.ipv4.ip_forward', '1');
	const finding = systemSettingsFinding(written);
	t.is(finding.kind, 'skipped');
	t.true(
		finding.kind === 'skipped' &&
			finding.reason.startsWith('skipped in container'),
	);
	// The same host outside a container still needs the kernel parts.
	const vm = facts({container: '', swaps: ['/swapfile file 1024 0 -2']});
	vm.files = written.files;
	t.like(systemSettingsFinding(vm), {kind: 'change'});
});

test('ssh hardening: an unproven drop-in is not done; a proven one that sshd ignores is blocked', t => {
	const dropIn = sshDropIn();
	t.regex(dropIn, /^PasswordAuthentication no$/m);
	t.regex(dropIn, /^PermitRootLogin prohibit-password$/m);
	t.notRegex(dropIn, /^Port/m);
	const unproven = facts();
	unproven.files.set(paths.sshDropIn, dropIn);
	t.like(sshHardeningFinding(unproven, 'codex', 'prohibit-password'), {
		kind: 'change',
	});
	const proven = facts({
		sshd: new Map([
			['passwordauthentication', ['yes']],
			['kbdinteractiveauthentication', ['no']],
			['permitrootlogin', ['without-password']],
			['pubkeyauthentication', ['yes']],
		]),
	});
	proven.files.set(paths.sshDropIn, dropIn);
	proven.files.set(paths.sshProven, proofMarker(dropIn));
	t.like(sshHardeningFinding(proven, 'codex', 'prohibit-password'), {
		kind: 'blocked',
	});
	proven.sshd!.set('passwordauthentication', ['no']);
	t.like(sshHardeningFinding(proven, 'codex', 'prohibit-password'), {
		kind: 'done',
	});
});

test('fail2ban: journal backend on Debian 12, the installer address joins addresses already ignored', t => {
	const host = facts({client: {address: '198.51.100.7', serverPort: 2222}});
	host.files.set(
		paths.fail2banJail,
		'ignoreip = 127.0.0.1/8 ::1 203.0.113.9\n',
	);
	const jail = renderJail(host);
	t.regex(jail, /^backend = systemd$/m);
	t.regex(jail, /^port = 2{4}$/m);
	t.regex(
		jail,
		/^ignoreip = 127\.0\.0\.1\/8 ::1 198\.51\.100\.7 203\.0\.113\.9$/m,
	);
	const old = facts({
		os: {id: 'ubuntu', versionId: '22.04', codename: 'jammy'},
	});
	t.regex(renderJail(old), /^backend = auto$/m);
});

test('apt proxy drop-in follows input.proxy', t => {
	t.is(aptProxyConf({}), undefined);
	t.is(
		aptProxyConf({http: 'http://proxy:3128'}),
		'Acquire::http::Proxy "http://proxy:3128";\nAcquire::https::Proxy "http://proxy:3128";\n',
	);
});

test('operator key: --operator-key, else the .pub beside --identity, else the key this run logged in with', async t => {
	const loginPublicKey =
		'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey agent@laptop';
	const withKey: Partial<RemoteSession> = {loginPublicKey};
	const withoutKey: Partial<RemoteSession> = {};
	const context = fakeContext({
		input: inputSchema.parse({connection: {host: 'h'}}),
		host: openHost(withKey as RemoteSession),
	});
	t.is(await operatorKeyFromInput(context), `${loginPublicKey}\n`);
	await t.throwsAsync(
		operatorKeyFromInput({
			...context,
			host: openHost(withoutKey as RemoteSession),
		}),
		{message: 'no public key for the operator user'},
	);
	await t.throwsAsync(
		operatorKeyFromInput({
			...context,
			input: inputSchema.parse({
				connection: {host: 'h', identity: '/nonexistent/id_ed25519'},
			}),
		}),
		{message: /\/nonexistent\/id_ed25519\.pub/},
	);
});
