import {Resolver} from 'node:dns/promises';
import {isIP} from 'node:net';
import {UserError} from '../errors.js';

/** The part of node:dns/promises' Resolver this module uses (tests point one at a local server). */
export type DnsResolver = Pick<Resolver, 'resolve4' | 'resolve6'>;

export type Addresses = {v4: string[]; v6: string[]};

const noAnswer = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

async function records(
	lookup: () => Promise<string[]>,
	name: string,
): Promise<string[]> {
	try {
		return await lookup();
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		if (noAnswer.has(code)) {
			return [];
		}

		throw new UserError(
			`DNS lookup of ${name} failed (${code || String(error)})`,
			{
				hint: 'Check that this computer can resolve names (network, VPN, /etc/resolv.conf), then run again.',
			},
		);
	}
}

/** A and AAAA records of `name`; a literal address is itself. */
export async function addressesOf(
	name: string,
	resolver: DnsResolver = new Resolver({timeout: 5000, tries: 2}),
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

/** Resolves both names and judges; lookups run on this computer's resolver. */
export async function checkDomain(
	domain: string,
	host: string,
	resolver?: DnsResolver,
): Promise<DnsVerdict> {
	const [domainAddresses, hostAddresses] = await Promise.all([
		addressesOf(domain, resolver),
		addressesOf(host, resolver),
	]);
	return dnsVerdict(domain, domainAddresses, {
		name: host,
		addresses: hostAddresses,
	});
}
