import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {Resolver} from 'node:dns/promises';
import * as packet from 'dns-packet';

export type Zone = Record<string, {a?: string[]; aaaa?: string[]}>;

/**
 * A real DNS server on 127.0.0.1 (UDP, the wire format of dns-packet) answering from `zone`,
 * NXDOMAIN for other names; and a node:dns Resolver (c-ares) that asks only it.
 */
export async function startDnsServer(zone: Zone) {
	const socket = createSocket('udp4');
	socket.on('message', (message, remote) => {
		const query = packet.decode(message);
		const question = query.questions?.[0];
		const entry = question ? zone[question.name.toLowerCase()] : undefined;
		const data =
			question?.type === 'A'
				? (entry?.a ?? [])
				: question?.type === 'AAAA'
					? (entry?.aaaa ?? [])
					: [];
		const answer = packet.encode({
			id: query.id,
			type: 'response',
			// The low four bits are the response code: 3 is NXDOMAIN.
			flags:
				packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (entry ? 0 : 3),
			questions: query.questions,
			answers: data.map(address => ({
				type: question!.type as 'A' | 'AAAA',
				name: question!.name,
				ttl: 60,
				class: 'IN' as const,
				data: address,
			})),
		});
		socket.send(answer, remote.port, remote.address);
	});
	socket.bind(0, '127.0.0.1');
	await once(socket, 'listening');
	const {port} = socket.address();
	const resolver = new Resolver({timeout: 1000, tries: 1});
	resolver.setServers([`127.0.0.1:${port}`]);
	return {
		resolver,
		close() {
			socket.close();
		},
	};
}
