import {Buffer} from 'node:buffer';
import type {IncomingMessage} from 'node:http';
import type {Reply} from './handlers.js';

/**
 * Faults the stand-in can answer with, as GitHub shapes them: rate limits, and its own failures;
 * `stall` answers nothing at all (the request stays open until the stand-in closes).
 */
export type Fault =
	| 'primary-403'
	| 'primary-429'
	| 'primary-429-for-an-hour'
	| 'stall'
	| 'secondary'
	| 'server-500'
	| 'server-502'
	| 'server-503';

export async function readBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Uint8Array);
	}

	const text = Buffer.concat(chunks).toString('utf8');
	return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export function faultReply(fault: Exclude<Fault, 'stall'>): Reply {
	if (fault.startsWith('server-')) {
		const status = Number(fault.slice('server-'.length));
		return {
			status,
			body: {
				message: status === 502 ? 'Server Error' : 'Service Unavailable',
				documentation_url: 'https://docs.github.com/rest',
			},
		};
	}

	const reset = String(
		Math.ceil(Date.now() / 1000) +
			(fault === 'primary-429-for-an-hour' ? 3600 : 1),
	);
	if (fault === 'secondary') {
		return {
			status: 403,
			headers: {'retry-after': '1'},
			body: {
				message:
					'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
				documentation_url:
					'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
			},
		};
	}

	return {
		status: fault === 'primary-403' ? 403 : 429,
		headers: {'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset},
		body: {
			message: 'API rate limit exceeded for user ID 1.',
			documentation_url:
				'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
		},
	};
}
