import test from 'ava';
import {inputSchema} from '../../../source/config/schema.js';
import {besideOtherFirewalls} from '../../../steps/host/firewall-coexist.js';
import {renderTable, tablePorts} from '../../../steps/host/firewall-rules.js';
import {parseHostFirewalls} from '../../../steps/host/host-firewalls.js';

const result = (output: string) => ({code: 0, output});

// As Debian 12's nft prints a host where ufw (iptables-nft) allows 8080 and 22, beside k3s's tables.
const ufwRuleset = `table ip filter {
	chain ufw-user-input {
		meta l4proto tcp tcp dport 22 counter packets 0 bytes 0 accept
		meta l4proto tcp tcp dport 8080 counter packets 3 bytes 180 accept
		meta l4proto udp udp dport 8080 counter packets 0 bytes 0 accept
	}
	chain ufw-user-output {
		meta l4proto tcp tcp dport 25 counter packets 0 bytes 0 accept
	}
	chain KUBE-NODEPORTS {
		meta l4proto tcp tcp dport 30080 counter packets 0 bytes 0 accept
	}
}
table inet codex_k8s_install {
	chain input {
		type filter hook input priority filter - 5; policy drop;
		tcp dport 22 accept
	}
}
`;

const ufwHost = parseHostFirewalls({
	ufw: result('Status: active\n"DROP"\n'),
	firewalld: result('inactive\n'),
	ruleset: result(ufwRuleset),
	iptables: result(
		'*filter\n-A ufw-user-input -p tcp -m multiport --dports 80,443 -j ACCEPT\n-A ufw-before-input -p udp -d 224.0.0.251 --dport 5353 -j ACCEPT\nCOMMIT\n',
	),
});

test("host firewalls: ufw's inbound accepts are found; outbound, k3s's and our own table are not", t => {
	t.deepEqual(ufwHost.ufw, {active: true, forwardPolicy: 'DROP'});
	t.false(ufwHost.firewalld);
	t.deepEqual(
		ufwHost.allowed.map(
			({port, protocol, owner}) => `${owner} ${port}/${protocol}`,
		),
		['ufw 22/tcp', 'ufw 8080/tcp', 'ufw 8080/udp', 'ufw 80/tcp', 'ufw 443/tcp'],
	);
});

test('host firewalls: a port another firewall allows blocks the plan until it is kept or removed', t => {
	const local = inputSchema.parse({mode: 'local'});
	const blocked = besideOtherFirewalls(ufwHost, tablePorts(local, [22]));
	t.like(blocked, {kind: 'blocked'});
	const {problem, hint} = blocked as {problem: string; hint: string};
	t.regex(problem, /ufw allows 8080\/tcp, 8080\/udp, 80\/tcp, 443\/tcp/);
	t.regex(
		hint,
		/CODEXK8S_FIREWALL_KEEP_PORTS=8080\/tcp,8080\/udp,80\/tcp,443\/tcp/,
	);
	t.regex(hint, /CODEXK8S_FIREWALL_ENABLED=false/);

	const keeping = inputSchema.parse({
		mode: 'server',
		firewallKeepPorts: ['8080'],
	});
	const ports = tablePorts(keeping, [22], true);
	t.deepEqual(ports, {tcp: ['22', '80', '443', '8080'], udp: ['8080']});
	const kept = besideOtherFirewalls(ufwHost, ports);
	t.is(kept.kind, 'ok');
	t.regex(
		renderTable(ports),
		/tcp dport { 22, 80, 443, 8080 } accept\n\t\tudp dport 8080 accept/,
	);
});

test('host firewalls: none found means nothing to say', t => {
	const none = parseHostFirewalls({ruleset: result(''), iptables: result('')});
	t.deepEqual(besideOtherFirewalls(none, {tcp: ['22'], udp: []}), {
		kind: 'ok',
		notes: [],
	});
});

test('kept ports: only digits, ranges and a protocol pass validation', t => {
	for (const bad of [
		'8080; drop',
		'0',
		'70000',
		'9-3/tcp',
		'80/sctp',
		'$(id)',
		'80\n',
	]) {
		t.false(
			inputSchema.safeParse({firewallKeepPorts: [bad]}).success,
			`rejects ${JSON.stringify(bad)}`,
		);
	}

	t.deepEqual(
		tablePorts(
			inputSchema.parse({
				firewallKeepPorts: ['6000-6007/tcp', '6001/tcp', '22'],
			}),
			[22],
		),
		{tcp: ['22', '6000-6007'], udp: ['22']},
	);
});
