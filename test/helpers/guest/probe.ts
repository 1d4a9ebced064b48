import {readFileSync, readlinkSync} from 'node:fs';
import net from 'node:net';

export async function portOpen(host: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({host, port, timeout: 500});
		const finish = (open: boolean) => {
			socket.destroy();
			resolve(open);
		};

		socket.once('connect', () => {
			finish(true);
		});
		socket.once('timeout', () => {
			finish(false);
		});
		socket.once('error', () => {
			finish(false);
		});
	});
}

/** The guest's PID 1: the launcher's child that lives in another PID namespace. */
export function findLeader(launcherPid: number): number | undefined {
	try {
		const own = readlinkSync('/proc/self/ns/pid');
		const children = readFileSync(
			`/proc/${launcherPid}/task/${launcherPid}/children`,
			'utf8',
		)
			.split(/\s+/v)
			.filter(Boolean)
			.map(Number);
		return children.find(pid => readlinkSync(`/proc/${pid}/ns/pid`) !== own);
	} catch {
		return undefined;
	}
}
