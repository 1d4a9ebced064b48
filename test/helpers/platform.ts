import {Buffer} from 'node:buffer';
import {createHmac, timingSafeEqual} from 'node:crypto';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * The platform's webhook endpoint, as upstream's smoke checks describe it: a delivery whose
 * `X-Hub-Signature-256` does not match the secret gets 401, a signed one 202. Not the platform
 * itself (that arrives with the platform phase), only its contract with GitHub.
 */
export type PlatformStandIn = {
	url: string;
	/** Events of the correctly signed deliveries, in order. */
	accepted: string[];
	secret: string;
	close: () => Promise<void>;
};

function signedBy(secret: string, body: string, header: string | undefined) {
	const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
	return (
		header?.length === expected.length &&
		timingSafeEqual(Buffer.from(header), Buffer.from(expected))
	);
}

export async function startPlatformStandIn(
	secret: string,
): Promise<PlatformStandIn> {
	const platform: Omit<PlatformStandIn, 'url' | 'close'> = {
		accepted: [],
		secret,
	};
	const server = createServer(async (request, response) => {
		let body = '';
		for await (const chunk of request) {
			body += String(chunk);
		}

		const path = request.url === '/api/v1/webhooks/github';
		const signed =
			request.method === 'POST' &&
			signedBy(
				platform.secret,
				body,
				request.headers['x-hub-signature-256'] as string | undefined,
			);
		if (signed) {
			platform.accepted.push(String(request.headers['x-github-event']));
		}

		response.statusCode = path ? (signed ? 202 : 401) : 404;
		response.end();
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return Object.assign(platform, {
		url: `http://127.0.0.1:${port}/api/v1/webhooks/github`,
		async close() {
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	});
}
