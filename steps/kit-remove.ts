import type {Removal} from '../source/engine/step.js';
import {hostOf, runScript} from './kit.js';

/** Written by k3s's own installer; it removes k3s, its data, pods and network set-up. */
export const k3sUninstallScript = '/usr/local/bin/k3s-uninstall.sh';

/**
 * K3s is taken back by its own uninstall script, after everything that lives in the cluster
 * (the runner scale set and controller first, so GitHub forgets the runners): the k3s step's
 * `remove`.
 */
export const k3sRemoval: Removal = {
	async check(context) {
		const {session} = hostOf(context);
		const {script} = await session.probe(
			{script: `test -x ${k3sUninstallScript}`},
			{root: true, signal: context.signal},
		);
		return script?.code === 0
			? [
					`run ${k3sUninstallScript}: k3s, every pod and volume (PostgreSQL's data included) and its network set-up go`,
				]
			: [];
	},
	async apply(context) {
		await runScript(context, 'uninstall/k3s.sh', {
			values: {SCRIPT_PATH: k3sUninstallScript},
		});
	},
};
