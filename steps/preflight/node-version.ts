import type {Step} from '../../source/engine/step.js';

export const minimumNode = [20, 19, 0] as const;

/** True when `version` (like `20.20.2` or `v22.1.0`) is at least `minimum`. */
export function isAtLeast(
	version: string,
	minimum: readonly number[],
): boolean {
	const parts = version.replace(/^v/, '').split('.').map(Number);
	for (const [index, wanted] of minimum.entries()) {
		const have = parts[index] ?? 0;
		if (have !== wanted) {
			return have > wanted;
		}
	}

	return true;
}

export const nodeVersion: Step = {
	id: 'preflight.node-version',
	phase: 'preflight',
	title: 'Node.js version',
	reach: 'local',
	runbook: () => ({
		check: ['node --version   (on this computer)'],
		fix: [
			`install Node.js ${minimumNode.join('.')} or newer (nodejs.org, or nvm install --lts), then run the same command again`,
		],
	}),
	describe: () => [
		`Node.js ${minimumNode.join('.')} or newer runs the installer`,
	],
	async check({local}) {
		return isAtLeast(local.nodeVersion, minimumNode)
			? {kind: 'done', note: `Node.js ${local.nodeVersion}`}
			: {
					kind: 'blocked',
					problem: `Node.js ${local.nodeVersion} is too old; ${minimumNode.join('.')} or newer is needed`,
					hint: 'Install a current Node.js LTS (for example with nvm or your package manager) and run again.',
				};
	},
};
