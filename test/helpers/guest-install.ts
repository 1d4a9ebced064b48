import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {pins} from '../../source/pins.js';
import {laptopFor, type Laptop} from './drill.js';
import {type GitHubStandIn, fullToken} from './github/server.js';
import type {Guest} from './guest/index.js';
import {
	airGapInputs,
	placeTestCluster,
	standInRelease,
} from './k3s-standin/release.js';
import {fakeSecret} from './secrets.js';

/*
The set-up of an `install` from the built command on a guest, as a script runs it: every answer
in a config file, secrets in files readable by the operator only, nothing asked. k3s is the
stand-in release (its k3s runs the test cluster, placed on the guest here), GitHub the stand-in.
*/

export type GuestInstall = {
	laptop: Laptop;
	config: string;
	/** The secret values given, for the search that they never show. */
	secrets: string[];
	openaiKey: string;
	/** `install` with every answer from the config file, as JSON, for these phases (all without). */
	args(only?: string): string[];
};

export async function guestInstall(
	guest: Guest,
	standIn: GitHubStandIn,
	extra: Record<string, unknown> = {},
): Promise<GuestInstall> {
	await placeTestCluster(guest);
	const release = standInRelease(pins.k3s.version);
	const laptop = laptopFor(guest);
	const secretFile = (name: string, value: string) => {
		const path = join(laptop.home, name);
		writeFileSync(path, `${value}\n`, {mode: 0o600});
		return path;
	};

	const openaiKey = fakeSecret('sk-test-openai-');
	const gitBotToken = fakeSecret('ghp_');
	const oauthClientSecret = fakeSecret('oauth-');
	const {platform = {}, ...rest} = extra as {
		platform?: Record<string, unknown>;
	};
	const config = join(laptop.home, 'staging.yaml');
	writeFileSync(
		config,
		stringify({
			connection: {
				host: guest.address,
				identity: guest.rootKeyPath,
				hostKeyFingerprint: guest.hostKeyFingerprint,
			},
			mode: 'local',
			cluster: airGapInputs(release),
			github: {
				repo: `${standIn.repo.owner}/${standIn.repo.name}`,
				apiUrl: standIn.url,
				tokenFile: secretFile('github-token', fullToken),
			},
			platform: {
				ownerEmail: 'owner@example.com',
				oauthClientId: 'Iv1.0123456789abcdef',
				oauthClientSecretFile: secretFile('oauth-secret', oauthClientSecret),
				openaiApiKeyFile: secretFile('openai-key', openaiKey),
				gitBotTokenFile: secretFile('git-bot-token', gitBotToken),
				...platform,
			},
			...rest,
		}),
	);
	return {
		laptop,
		config,
		openaiKey,
		secrets: [openaiKey, gitBotToken, oauthClientSecret, fullToken],
		args: only => [
			'install',
			...(only ? ['--only', only] : []),
			'--yes',
			'--non-interactive',
			'--json',
			'--config',
			config,
		],
	};
}
