import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {connect} from '../../source/remote/connect.js';
import {guestTest, startGuest} from '../helpers/guest/index.js';
import {hostKeyLine} from '../helpers/remote-guest.js';
import {memoryLogger, temporaryHome} from '../helpers/remote.js';

guestTest(
	'ProxyJump: the target is reached through the jump guest (alias form in ~/.ssh/config)',
	async t => {
		const jump = await startGuest({name: 'jump', regenerateHostKeys: true});
		try {
			const target = await startGuest({
				name: 'target',
				regenerateHostKeys: true,
			});
			const home = temporaryHome();
			try {
				writeFileSync(
					path.join(home.ssh, 'config'),
					[
						'Host bastion',
						`  HostName ${jump.address}`,
						'  User root',
						`  IdentityFile ${jump.rootKeyPath}`,
						'Host staging',
						`  HostName ${target.address}`,
						`  IdentityFile ${target.rootKeyPath}`,
						'  ProxyJump bastion',
						'',
					].join('\n'),
				);
				// The jump host must already be known: --host-key-fingerprint covers only the target.
				writeFileSync(
					path.join(home.ssh, 'known_hosts'),
					`${jump.address} ${await hostKeyLine(jump)}\n`,
				);
				const log = memoryLogger();
				const session = await connect(
					{
						connection: {
							host: 'staging',
							knownHosts: '~/.ssh/known_hosts',
							hostKeyFingerprint: target.hostKeyFingerprint,
						},
					},
					{log, home: home.home, env: {}},
				);
				try {
					t.like(session.target, {
						alias: 'staging',
						hostname: target.address,
						user: 'root',
						proxyJump: {alias: 'bastion', hostname: jump.address},
					});
					t.is(session.hostKeyFingerprint, target.hostKeyFingerprint);
					const {stdout} = await session.exec('hostname; echo "$SSH_CLIENT"');
					const [name, client] = stdout.trim().split('\n');
					t.is(name, 'target');
					t.is(
						client?.split(' ')[0],
						jump.address,
						'the target sees the jump guest as its client',
					);
					t.true(
						log.lines.some(line =>
							line.includes('through bastion (ProxyJump)'),
						),
					);
				} finally {
					await session.close();
				}
			} finally {
				home.dispose();
				await target.destroy();
			}
		} finally {
			await jump.destroy();
		}
	},
);
