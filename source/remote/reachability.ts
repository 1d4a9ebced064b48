import {connect, type Socket} from 'node:net';
import {InterruptedError, UserError} from '../errors.js';
import {formatSeconds} from './exec.js';

const runbook = 'Connecting to the host';

/** A plain-language error for a failed TCP connection to host:port. */
export function unreachable(
	host: string,
	port: number,
	code: string | undefined,
	context: {timeoutMs: number; via?: string},
): UserError {
	const {timeoutMs, via} = context;
	const where = `${host} port ${port}${via ? ` (through ${via})` : ''}`;
	switch (code ?? '') {
		case 'ENOTFOUND':
		case 'EAI_NONAME':
		case 'EAI_AGAIN': {
			return new UserError(`${host} does not resolve: no such host name`, {
				hint: 'Check the spelling, or use the IP address (or a ~/.ssh/config alias).',
				runbookSection: runbook,
			});
		}

		case 'ECONNREFUSED': {
			return new UserError(
				`nothing is listening on ${where}: the connection was refused`,
				{
					hint: 'Is sshd running on the host, and on this port? Pass --port if it listens elsewhere.',
					runbookSection: runbook,
				},
			);
		}

		case 'ETIMEDOUT': {
			return new UserError(
				`${where} did not answer within ${formatSeconds(timeoutMs)}`,
				{
					hint: 'A firewall (or a cloud security group) may be dropping SSH, or the address is wrong.',
					runbookSection: runbook,
				},
			);
		}

		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'EHOSTDOWN': {
			return new UserError(`${where} is unreachable from here (${code})`, {
				hint: 'Check the address and that this machine has a route to it (VPN?).',
				runbookSection: runbook,
			});
		}

		default: {
			return new UserError(
				`cannot connect to ${where}${code ? ` (${code})` : ''}`,
				{runbookSection: runbook},
			);
		}
	}
}

/** A TCP connection with our own timeout, so refused, unresolvable and silent hosts differ. */
export async function openSocket(
	host: string,
	port: number,
	timeoutMs: number,
	signal?: AbortSignal,
): Promise<Socket> {
	if (signal?.aborted) {
		throw new InterruptedError();
	}

	return new Promise((resolve, reject) => {
		const socket = connect({host, port});
		const finish = (error?: Error) => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			socket.removeAllListeners('error');
			socket.removeAllListeners('connect');
			if (error) {
				socket.destroy();
				reject(error);
			} else {
				resolve(socket);
			}
		};

		const onAbort = () => {
			finish(new InterruptedError());
		};

		const timer = setTimeout(() => {
			finish(unreachable(host, port, 'ETIMEDOUT', {timeoutMs}));
		}, timeoutMs);
		signal?.addEventListener('abort', onAbort, {once: true});
		socket.once('connect', () => {
			finish();
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			const {errors} = error as {errors?: NodeJS.ErrnoException[]};
			finish(
				unreachable(host, port, error.code ?? errors?.[0]?.code, {timeoutMs}),
			);
		});
	});
}
