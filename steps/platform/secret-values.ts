/**
 * What each key of the platform's Secrets holds, decided without side effects: a given value
 * wins, else the value already in the cluster is kept, else one is generated (node:crypto) — so
 * a re-run never changes the database password under a running database (upstream's pitfall),
 * and an empty input never wipes a value. Generated values live only in this process and the
 * Secret: never on the laptop, in argv, the log or the plan (which says kept/generated/replaced).
 */

import {Buffer} from 'node:buffer';
import {randomBytes} from 'node:crypto';
import type {Input} from '../../source/config/schema.js';
import {platformSecrets, webhookSecretKey} from '../kit-secrets.js';
import {postgresDatabase, postgresUser} from './names.js';

type KeySpec = {
	key: string;
	/** The given value; `undefined`/empty when not given. */
	given?: (input: Input) => string | undefined;
	/** Always this value (not secret, derived from the input): rewritten when it differs. */
	fixed?: (input: Input) => string;
	/** Bytes of randomness for a generated value (hex-encoded); none: never generated. */
	generate?: number;
	/** Whether a value found in the cluster may be kept (a cookie secret of the wrong length not). */
	valid?: (value: string) => boolean;
	/** Where to give it, for the error when it is needed and neither given nor kept. */
	required?: string;
};

export type SecretSpec = {name: string; keys: KeySpec[]};

/** Oauth2-proxy refuses a cookie secret that is not 16, 24 or 32 bytes long (AES key sizes). */
export const validCookieSecret = (value: string) =>
	[16, 24, 32].includes(Buffer.byteLength(value));

/** The Secrets of the platform and every key's source (upstream spec §2.3, step 60). */
export function secretSpecs(input: Input): SecretSpec[] {
	const {platform} = input;
	const generated = (
		key: string,
		given: (input: Input) => string | undefined,
		bytes = 32,
	): KeySpec => ({key, given, generate: bytes});
	return [
		{
			name: platformSecrets.postgres,
			keys: [
				{key: 'CODEXK8S_POSTGRES_DB', fixed: () => postgresDatabase},
				{key: 'CODEXK8S_POSTGRES_USER', fixed: () => postgresUser},
				generated(
					'CODEXK8S_POSTGRES_PASSWORD',
					() => platform.postgresPassword,
					24,
				),
			],
		},
		{
			name: platformSecrets.runtime,
			keys: [
				{
					key: 'CODEXK8S_GITHUB_PAT',
					given: () => input.github.token,
					required: 'CODEXK8S_GITHUB_TOKEN',
				},
				{
					key: 'CODEXK8S_GIT_BOT_TOKEN',
					given: () => platform.gitBotToken,
					required: 'CODEXK8S_GIT_BOT_TOKEN',
				},
				{
					key: 'CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET',
					given: () => platform.oauthClientSecret,
					required: 'CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET',
				},
				{key: 'CODEXK8S_OPENAI_API_KEY', given: () => platform.openaiApiKey},
				{
					key: 'CODEXK8S_OPENAI_AUTH_FILE',
					given: () => platform.openaiAuthFile,
				},
				{
					key: 'CODEXK8S_CONTEXT7_API_KEY',
					given: () => platform.context7ApiKey,
				},
				generated('CODEXK8S_APP_SECRET_KEY', () => platform.appSecretKey),
				generated(
					'CODEXK8S_TOKEN_ENCRYPTION_KEY',
					() => platform.tokenEncryptionKey,
				),
				generated('CODEXK8S_JWT_SIGNING_KEY', () => platform.jwtSigningKey),
				generated(
					'CODEXK8S_MCP_TOKEN_SIGNING_KEY',
					() => platform.mcpTokenSigningKey,
				),
				generated(webhookSecretKey, () => platform.webhookSecret),
			],
		},
		{
			name: platformSecrets.oauth2Proxy,
			keys: [
				{
					key: 'OAUTH2_PROXY_CLIENT_ID',
					given: () => platform.oauthClientId,
					required: 'CODEXK8S_GITHUB_OAUTH_CLIENT_ID',
				},
				{
					key: 'OAUTH2_PROXY_CLIENT_SECRET',
					given: () => platform.oauthClientSecret,
					required: 'CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET',
				},
				// 16 random bytes, hex: a 32-byte secret, as upstream's `openssl rand -hex 16`.
				{
					key: 'OAUTH2_PROXY_COOKIE_SECRET',
					generate: 16,
					valid: validCookieSecret,
				},
			],
		},
		{
			name: platformSecrets.gitToken,
			keys: [
				{
					key: 'token',
					given: () => input.github.token,
					required: 'CODEXK8S_GITHUB_TOKEN',
				},
			],
		},
	];
}

/** What happens to one key: its value stays in memory; the plan sees only `how`. */
export type KeyDecision = {
	key: string;
	value?: string;
	how: 'kept' | 'set' | 'generated' | 'replaced' | 'missing' | 'absent';
	/** Why a kept value is replaced without being given (a cookie secret of the wrong length). */
	why?: string;
	required?: string;
};

/** An empty value counts as none: an empty input never wipes a kept value. */
const nonEmpty = (value: string | undefined) =>
	value === '' ? undefined : value;

export function decideKey(
	spec: KeySpec,
	input: Input,
	live: ReadonlyMap<string, string> | undefined,
	random: (bytes: number) => string = bytes =>
		randomBytes(bytes).toString('hex'),
): KeyDecision {
	const {key} = spec;
	const current = nonEmpty(live?.get(key));
	const wanted = spec.fixed?.(input) ?? nonEmpty(spec.given?.(input));
	if (wanted !== undefined) {
		if (current === wanted) {
			return {key, value: wanted, how: 'kept'};
		}

		return {
			key,
			value: wanted,
			how: current === undefined ? 'set' : 'replaced',
		};
	}

	if (current !== undefined && (spec.valid?.(current) ?? true)) {
		return {key, value: current, how: 'kept'};
	}

	if (spec.generate) {
		const value = random(spec.generate);
		return current === undefined
			? {key, value, how: 'generated'}
			: {key, value, how: 'replaced', why: 'the kept value was not valid'};
	}

	return spec.required
		? {key, how: 'missing', required: spec.required}
		: {key, how: 'absent'};
}

/** The plan's words for a key's change; kept and absent keys change nothing. */
export function decisionWords(decision: KeyDecision): string | undefined {
	const words: Record<KeyDecision['how'], string | undefined> = {
		generated: 'generated',
		set: 'set',
		replaced: `replaced (${decision.why ?? 'given'})`,
		kept: undefined,
		absent: undefined,
		missing: undefined,
	};
	const word = words[decision.how];
	return word && `${decision.key} ${word}`;
}
