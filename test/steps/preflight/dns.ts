import test from 'ava';
import {inputSchema} from '../../../source/config/schema.js';
import {UserError} from '../../../source/errors.js';
import {dnsStep} from '../../../steps/preflight/dns.js';
import {startDnsServer, type Zone} from '../../helpers/dns/server.js';
import {fakeContext} from '../../helpers/fake-steps.js';

const host = '203.0.113.10';

function contextFor(options: {host?: string; domain?: string; wait?: number}) {
	return fakeContext({
		input: inputSchema.parse({
			connection: {host: options.host ?? host},
			mode: 'server',
			domain: options.domain ?? 'staging.example.com',
			acmeEmail: 'ops@example.com',
			timeouts: {dnsWait: options.wait ?? 1},
		}),
	});
}

async function withDns(t: {teardown(f: () => void): void}, zone: Zone) {
	const server = await startDnsServer(zone);
	t.teardown(() => {
		server.close();
	});
	return dnsStep({resolver: server.resolver, pollMs: 100});
}

test('a domain whose A record names the host is done; local mode has no DNS step', async t => {
	const step = await withDns(t, {'staging.example.com': {a: [host]}});
	t.deepEqual(await step.check(contextFor({})), {
		kind: 'done',
		note: `staging.example.com → ${host}`,
	});
	t.false(step.when!(inputSchema.parse({mode: 'local'})));
});

test('the host may be a name: its A and AAAA records are the host', async t => {
	const step = await withDns(t, {
		'staging.example.com': {a: [host], aaaa: ['2001:db8::10']},
		'server.example.net': {a: [host], aaaa: ['2001:db8::10']},
	});
	const finding = await step.check(contextFor({host: 'server.example.net'}));
	t.is(finding.kind, 'done');
});

for (const [title, zone, problem] of [
	[
		'points elsewhere',
		{'staging.example.com': {a: ['198.51.100.7']}},
		`staging.example.com points at 198.51.100.7, not at the host (${host})`,
	],
	[
		'has a stray AAAA record (Let’s Encrypt would try IPv6 and fail)',
		{'staging.example.com': {a: [host], aaaa: ['2001:db8::1']}},
		`staging.example.com points at 2001:db8::1, not at the host (${host})`,
	],
	['does not exist', {}, 'staging.example.com has no A record (AAAA: nothing)'],
] as const) {
	test(`a domain that ${title}: planned as a wait, and after the wait a clear error with the fix`, async t => {
		const step = await withDns(t, zone as Zone);
		const context = contextFor({});
		t.deepEqual(await step.check(context), {
			kind: 'change',
			changes: [`wait for DNS: ${problem}`],
		});
		const error = await t.throwsAsync(
			step.apply!(context, {kind: 'change', changes: []}),
			{instanceOf: UserError},
		);
		t.is(error.message, `${problem} (waited 1 s)`);
		t.regex(
			error.hint!,
			new RegExp(
				String.raw`^Point an A record of staging\.example\.com at ${host.replaceAll('.', String.raw`\.`)} and remove any AAAA record`,
			),
		);
		t.regex(error.hint!, /CODEXK8S_DNS_WAIT_TIMEOUT/);
	});
}

test('a record that appears while the step waits ends the wait', async t => {
	const zone: Zone = {'staging.example.com': {a: ['198.51.100.7']}};
	const step = await withDns(t, zone);
	const context = contextFor({wait: 10});
	const lines: string[] = [];
	context.output = line => {
		lines.push(line);
	};

	setTimeout(() => {
		zone['staging.example.com'] = {a: [host]};
	}, 300);
	await step.apply!(context, {kind: 'change', changes: []});
	t.is(lines.at(-1), `staging.example.com → ${host}`);
	t.regex(lines[0]!, /points at 198\.51\.100\.7, .* left$/);
});
