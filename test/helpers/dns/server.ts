import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import * as packet from 'dns-packet';

export type Zone = Record<
	string,
	{a?: string[]; aaaa?: string[]; ns?: string[]}
>;

/**
 * A real DNS server on 127.0.0.1 (or `address`, at `port`) (UDP, the wire format of dns-packet) answering A, AAAA and NS
 * from `zone`, NXDOMAIN for other names; its `address` (for `dnsResolver`) and `port`.
 */
export async function startDnsServer(
	zone: Zone,
	{address = '127.0.0.1', port: wanted = 0} = {},
) {
	const socket = createSocket('udp4');
	socket.on('message', (message, remote) => {
		const query = packet.decode(message);
		const question = query.questions?.[0];
		const entry = question ? zone[question.name.toLowerCase()] : undefined;
		const type = question?.type;
		const data =
			type === 'A'
				? (entry?.a ?? [])
				: type === 'AAAA'
					? (entry?.aaaa ?? [])
					: type === 'NS'
						? (entry?.ns ?? [])
						: [];
		const answer = packet.encode({
			id: query.id,
			type: 'response',
			// The low four bits are the response code: 3 is NXDOMAIN.
			flags:
				packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (entry ? 0 : 3),
			questions: query.questions,
			answers: data.map(address => ({
				type: type as 'A' | 'AAAA' | 'NS',
				name: question!.name,
				ttl: 60,
				class: 'IN' as const,
				data: address,
			})),
		});
		socket.send(answer, remote.port, remote.address);
	});
	socket.bind(wanted, address);
	await once(socket, 'listening');
	const {port} = socket.address();
	return {
		address: `${address}:${port}`,
		port,
		close() {
			socket.close();
		},
	};
}
