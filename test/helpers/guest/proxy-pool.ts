import {type AptProxy, startAptProxy} from './proxy.js';
import {hostDebianSources, mirrorHosts} from './sources.js';

let shared: Promise<AptProxy> | undefined;
let users = 0;

/** One proxy per test worker, alive while any of its guests is. */
export async function acquireAptProxy(): Promise<AptProxy> {
	users++;
	shared ??= startAptProxy(mirrorHosts(hostDebianSources()));
	try {
		return await shared;
	} catch (error) {
		users--;
		shared = undefined;
		throw error;
	}
}

export async function releaseAptProxy(): Promise<void> {
	users--;
	if (users === 0 && shared) {
		const pending = shared;
		shared = undefined;
		const proxy = await pending;
		await proxy.close();
	}
}
