import test from 'ava';
import {inputSchema} from '../../../source/config/schema.js';
import {UserError} from '../../../source/errors.js';
import {dnsStep} from '../../../steps/preflight/dns.js';
import {startDnsServer, type Zone} from '../../helpers/dns/server.js';
import {fakeContext} from '../../helpers/fake-steps.js';

const host = '203.0.113.10';

// The zone's delegation, as the resolver and the name server both answer it.
const delegation: Zone = {
	'example.com': {ns: ['ns1.example.com']},
	'ns1.example.com': {a: ['127.0.0.1']},
};
const answeredBy = ' (answered by ns1.example.com (127.0.0.1))';

function contextFor(options: {
	host?: string;
	domain?: string;
	wait?: number;
	resolver: string;
}) {
	return fakeContext({
		input: inputSchema.parse({
			dnsResolver: options.resolver,
			connection: {host: options.host ?? host},
			mode: 'server',
			domain: options.domain ?? 'staging.example.com',
			acmeEmail: 'ops@example.com',
			timeouts: {dnsWait: options.wait ?? 1},
		}),
	});
}

/** One local server is both the resolver and the zone's name server (asked directly). */
async function withDns(t: {teardown(f: () => void): void}, zone: Zone) {
	const server = await startDnsServer(Object.assign(zone, delegation));
	t.teardown(() => {
		server.close();
	});
	return {
		step: dnsStep({authoritativePort: server.port, pollMs: 100}),
		resolver: server.address,
	};
}

test('a domain whose A record names the host is done; local mode has no DNS step', async t => {
	const {step, resolver} = await withDns(t, {
		'staging.example.com': {a: [host]},
	});
	t.deepEqual(await step.check(contextFor({resolver})), {
		kind: 'done',
		note: `staging.example.com → ${host}${answeredBy}`,
	});
	t.false(step.when!(inputSchema.parse({mode: 'local'})));
});

test('the host may be a name: its A and AAAA records are the host', async t => {
	const {step, resolver} = await withDns(t, {
		'staging.example.com': {a: [host], aaaa: ['2001:db8::10']},
		'server.example.net': {a: [host], aaaa: ['2001:db8::10']},
	});
	const finding = await step.check(
		contextFor({host: 'server.example.net', resolver}),
	);
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
		const {step, resolver} = await withDns(t, {...(zone as Zone)});
		const context = contextFor({resolver});
		t.deepEqual(await step.check(context), {
			kind: 'change',
			changes: [`wait for DNS: ${problem}${answeredBy}`],
		});
		const error = await t.throwsAsync(
			step.apply!(context, {kind: 'change', changes: []}),
			{instanceOf: UserError},
		);
		t.is(error.message, `${problem}${answeredBy} (waited 1 s)`);
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
	const {step, resolver} = await withDns(t, zone);
	const context = contextFor({wait: 10, resolver});
	const lines: string[] = [];
	context.output = line => {
		lines.push(line);
		// The record appears once the step has said it waits for it.
		zone['staging.example.com'] = {a: [host]};
	};

	await step.apply!(context, {kind: 'change', changes: []});
	t.is(lines.at(-1), `staging.example.com → ${host}${answeredBy}`);
	t.regex(lines[0]!, /points at 198\.51\.100\.7, .* left$/);
});

test('the domain is asked of its own name servers, not the resolver: a stale or split-horizon answer there is not trusted', async t => {
	const authoritative = await startDnsServer({
		'staging.example.com': {a: [host]},
	});
	// The resolver still holds the old address, as a cache or an internal view would.
	const stale = await startDnsServer({
		...delegation,
		'staging.example.com': {a: ['198.51.100.7']},
	});
	t.teardown(() => {
		authoritative.close();
		stale.close();
	});
	const step = dnsStep({authoritativePort: authoritative.port, pollMs: 100});
	t.deepEqual(await step.check(contextFor({resolver: stale.address})), {
		kind: 'done',
		note: `staging.example.com → ${host}${answeredBy}`,
	});
});

test('a name server that does not answer is named; a bad resolver address is refused at once', async t => {
	const resolverOnly = await startDnsServer({...delegation});
	t.teardown(() => {
		resolverOnly.close();
	});
	// Nothing listens on the name server's port: the zone's servers are silent.
	const step = dnsStep({authoritativePort: 9, pollMs: 100});
	const error = await t.throwsAsync(
		step.check(contextFor({resolver: resolverOnly.address})),
		{instanceOf: UserError},
	);
	t.regex(
		error.message,
		/None of the name servers of example\.com answered for staging\.example\.com: ns1\.example\.com \(127\.0\.0\.1\)/,
	);
	for (const bad of [
		'8.8.8.8; id',
		'resolver.example.com',
		'1.2.3.4:99999',
		'',
	]) {
		t.false(
			inputSchema.safeParse({dnsResolver: bad}).success,
			`refuses ${bad}`,
		);
	}

	t.true(inputSchema.safeParse({dnsResolver: '[2001:db8::53]:5353'}).success);
});
