import {Resolver} from 'node:dns/promises';
import {isIP} from 'node:net';
import {UserError} from '../errors.js';

export type Addresses = {v4: string[]; v6: string[]};

/** What the domain's own name servers say, and which of them said it. */
export type Authoritative = {
	addresses: Addresses;
	/** `ns1.example.com (192.0.2.53)`, for each server that answered. */
	answered: string[];
};

const noAnswer = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

const codeOf = (error: unknown) =>
	(error as NodeJS.ErrnoException).code ?? String(error);

/** A resolver asking `server` (`192.0.2.1`, `192.0.2.1:5353`, `[2001:db8::1]:53`), or this computer's. */
export function resolverFor(server?: string): Resolver {
	const resolver = new Resolver({timeout: 3000, tries: 2});
	if (server) {
		resolver.setServers([server]);
	}

	return resolver;
}

/** Records of one type; none is an empty list, a failure is an error naming what failed. */
export async function records(
	lookup: () => Promise<string[]>,
	what: string,
): Promise<string[]> {
	try {
		return await lookup();
	} catch (error) {
		if (noAnswer.has(codeOf(error))) {
			return [];
		}

		throw new UserError(`DNS lookup of ${what} failed (${codeOf(error)})`, {
			hint: 'Check that this computer can resolve names (network, VPN, /etc/resolv.conf, or CODEXK8S_DNS_RESOLVER), then run again.',
		});
	}
}

/** The name servers of the zone holding `domain`: its own NS, else its parent's, up to the TLD. */
async function zoneOf(
	domain: string,
	resolver: Resolver,
): Promise<{zone: string; servers: string[]}> {
	const labels = domain.replace(/\.$/v, '').split('.');
	for (let index = 0; index < labels.length - 1; index++) {
		const zone = labels.slice(index).join('.');
		// eslint-disable-next-line no-await-in-loop -- up the tree until a zone answers
		const servers = await records(
			async () => resolver.resolveNs(zone),
			`NS of ${zone}`,
		);
		if (servers.length > 0) {
			return {zone, servers: servers.toSorted()};
		}
	}

	throw new UserError(
		`No name server found for ${domain} or the zones above it`,
		{
			hint: 'Check that the domain is registered and delegated (its NS records), or point CODEXK8S_DNS_RESOLVER at a resolver that sees it.',
		},
	);
}

const serverAddress = (address: string, port: number) =>
	isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;

/** Asks one authoritative server directly; undefined when it does not answer. */
async function askServer(
	domain: string,
	address: string,
	port: number,
): Promise<Addresses | undefined> {
	const direct = resolverFor(serverAddress(address, port));
	try {
		const [v4, v6] = await Promise.all([
			records(async () => direct.resolve4(domain), domain),
			records(async () => direct.resolve6(domain), domain),
		]);
		return {v4, v6};
	} catch {
		return undefined;
	}
}

const union = (lists: string[][]) => [...new Set(lists.flat())].toSorted();

/**
 * Let's Encrypt asks the domain's authoritative servers, not this computer's resolver (which may
 * hold a stale cache or a split-horizon answer): so does this. The resolver only finds the zone's
 * NS records and their addresses. `port` is 53; tests run their servers elsewhere on loopback.
 */
export async function authoritativeAddresses(
	domain: string,
	resolver: Resolver,
	port = 53,
): Promise<Authoritative> {
	const {zone, servers} = await zoneOf(domain, resolver);
	const answers = await Promise.all(
		servers.map(async name => {
			const v4 = await records(async () => resolver.resolve4(name), name);
			const addresses =
				v4.length > 0
					? v4
					: await records(async () => resolver.resolve6(name), name);
			const address = addresses[0];
			const answer = address
				? await askServer(domain, address, port)
				: undefined;
			return {label: `${name} (${address ?? 'no address'})`, answer};
		}),
	);
	const answered = answers.filter(one => one.answer !== undefined);
	if (answered.length === 0) {
		throw new UserError(
			`None of the name servers of ${zone} answered for ${domain}: ${answers.map(one => one.label).join(', ')}`,
			{
				hint: 'They must answer from the internet for Let’s Encrypt too. Check the DNS provider, or point CODEXK8S_DNS_RESOLVER at a resolver that knows the zone, then run again.',
			},
		);
	}

	return {
		addresses: {
			v4: union(answered.map(one => one.answer!.v4)),
			v6: union(answered.map(one => one.answer!.v6)),
		},
		answered: answered.map(one => one.label),
	};
}
