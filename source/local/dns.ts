import type {Resolver} from 'node:dns/promises';
import {isIP} from 'node:net';
import {
	type Addresses,
	authoritativeAddresses,
	records,
	resolverFor,
} from './authoritative.js';

export type {Addresses} from './authoritative.js';

/** A and AAAA records of `name` through `resolver`; a literal address is itself. */
export async function addressesOf(
	name: string,
	resolver: Resolver,
): Promise<Addresses> {
	const family = isIP(name);
	if (family !== 0) {
		return family === 4 ? {v4: [name], v6: []} : {v4: [], v6: [name]};
	}

	const [v4, v6] = await Promise.all([
		records(async () => resolver.resolve4(name), name),
		records(async () => resolver.resolve6(name), name),
	]);
	return {v4, v6};
}

export type DnsVerdict =
	{ok: true; note: string} | {ok: false; problem: string; hint: string};

const list = (addresses: string[]) => addresses.join(', ') || 'nothing';

/**
 * Let's Encrypt's HTTP-01 check goes to the domain's A and, when there is one, its AAAA record: so
 * every record must name the host (a stray AAAA fails the certificate), and there must be an A.
 */
export function dnsVerdict(
	domain: string,
	domainAddresses: Addresses,
	host: {name: string; addresses: Addresses},
): DnsVerdict {
	const hostAll = [...host.addresses.v4, ...host.addresses.v6];
	const fix = `Point an A record of ${domain} at ${list(host.addresses.v4)}${host.addresses.v6.length > 0 ? ` (and AAAA at ${list(host.addresses.v6)}, or none)` : ' and remove any AAAA record'}, wait for it to be visible, then run again.`;
	if (hostAll.length === 0) {
		return {
			ok: false,
			problem: `${host.name} has no address in DNS, so ${domain} cannot be compared with it`,
			hint: 'Use the host’s IP address as --host, or give its name an A record.',
		};
	}

	if (domainAddresses.v4.length === 0) {
		return {
			ok: false,
			problem: `${domain} has no A record (AAAA: ${list(domainAddresses.v6)})`,
			hint: fix,
		};
	}

	const stray = [...domainAddresses.v4, ...domainAddresses.v6].filter(
		address => !hostAll.includes(address),
	);
	if (stray.length > 0) {
		return {
			ok: false,
			problem: `${domain} points at ${stray.join(', ')}, not at the host (${list(hostAll)})`,
			hint: fix,
		};
	}

	return {
		ok: true,
		note: `${domain} → ${list([...domainAddresses.v4, ...domainAddresses.v6])}`,
	};
}

export type DnsOptions = {
	/** The resolver that finds the zone's name servers (and the host's name): `dnsResolver`. */
	resolver?: string;
	/** Where the authoritative servers listen: 53; tests run theirs elsewhere on loopback. */
	authoritativePort?: number;
};

/**
 * The domain as its authoritative servers answer (as Let's Encrypt sees it), the host's name as
 * the resolver does; then the verdict, naming the servers that answered.
 */
export async function checkDomain(
	domain: string,
	host: string,
	options: DnsOptions = {},
): Promise<DnsVerdict> {
	const resolver = resolverFor(options.resolver);
	const [authoritative, hostAddresses] = await Promise.all([
		authoritativeAddresses(domain, resolver, options.authoritativePort),
		addressesOf(host, resolver),
	]);
	const verdict = dnsVerdict(domain, authoritative.addresses, {
		name: host,
		addresses: hostAddresses,
	});
	const from = ` (answered by ${authoritative.answered.join(', ')})`;
	return verdict.ok
		? {ok: true, note: `${verdict.note}${from}`}
		: {...verdict, problem: `${verdict.problem}${from}`};
}
