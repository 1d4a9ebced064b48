import type {HostFacts} from './facts.js';

export type SshReloadPlan =
	{ok: true; commands: string[]; note: string} | {ok: false; problem: string};

/**
 * How to make a running sshd read a changed config, decided from `systemctl show` of
 * ssh.socket, ssh.service and sshd.service.
 * - A plain service (Debian, older Ubuntu): reload it; open sessions survive.
 * - Socket activation (Ubuntu 24.04 `ssh.socket`): the daemon behind the socket still reloads
 *   its config, but the listening port belongs to the socket's ListenStream, which the sshd
 *   socket generator derives from sshd_config on `daemon-reload`: a port change needs that and a
 *   socket restart.
 */
export function sshReloadPlan(
	units: HostFacts['units'],
	options: {portChange?: boolean} = {},
): SshReloadPlan {
	const loaded = units.filter(unit => unit.load === 'loaded');
	const service = loaded.find(
		unit => unit.id === 'ssh.service' || unit.id === 'sshd.service',
	);
	const socket = loaded.find(
		unit => unit.id === 'ssh.socket' && unit.active === 'active',
	);
	if (socket && options.portChange) {
		return {
			ok: true,
			commands: [
				'systemctl daemon-reload',
				'systemctl restart ssh.socket',
				...(service?.active === 'active'
					? [`systemctl reload ${service.id}`]
					: []),
			],
			note: 'socket activation: the new port comes from ssh.socket after daemon-reload',
		};
	}

	if (service?.active === 'active') {
		return {
			ok: true,
			commands: [`systemctl reload ${service.id}`],
			note: socket
				? `socket activation: ${service.id} behind ssh.socket reloads its config`
				: `${service.id} reloads its config`,
		};
	}

	if (socket) {
		return {
			ok: true,
			commands: [],
			note: 'socket activation: sshd is started per connection and reads the new config then',
		};
	}

	return {
		ok: false,
		problem: `no running ssh unit found (${units.map(unit => `${unit.id}: ${unit.active}`).join(', ') || 'none'})`,
	};
}
