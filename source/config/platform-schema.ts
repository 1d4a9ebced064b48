import {z} from 'zod';
import {
	branchName,
	email,
	field,
	isJsonObject,
	kubeName,
	plainName,
	token,
} from './field-types.js';

/** The platform's images, each built from its own Dockerfile (upstream spec, step 55). */
export const platformComponents = [
	'api-gateway',
	'control-plane',
	'worker',
	'agent-runner',
	'web-console',
] as const;

export type PlatformComponent = (typeof platformComponents)[number];

export const platform = z.strictObject({
	namespace: field(kubeName().default('codex-k8s-ai-staging'), {
		env: 'CODEXK8S_STAGING_NAMESPACE',
		description: 'Kubernetes namespace of the staging platform',
	}),
	ownerEmail: field(email.optional(), {
		env: 'CODEXK8S_BOOTSTRAP_OWNER_EMAIL',
		flag: 'owner-email',
		description: 'the only e-mail allowed to log in first (platform admin)',
	}),
	allowedEmails: field(z.array(email).default([]), {
		env: 'CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS',
		description: 'more staff e-mails allowed to log in from the start',
	}),
	oauthClientId: field(
		z
			.string()
			.regex(
				/^[\w.\-]{1,100}$/v,
				'must be the client id GitHub shows for the OAuth App (letters, digits, . _ -)',
			)
			.optional(),
		{
			env: 'CODEXK8S_GITHUB_OAUTH_CLIENT_ID',
			flag: 'oauth-client-id',
			description: 'GitHub OAuth App client id for the staff UI',
		},
	),
	oauthClientSecret: token(
		'CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET',
		'GitHub OAuth App client secret (needed once: later runs keep it in the cluster)',
	),
	openaiApiKey: token(
		'CODEXK8S_OPENAI_API_KEY',
		'OpenAI API key (needed once, or the auth file: later runs keep it in the cluster)',
	),
	// Upstream's variable holds the file's contents, not its path; a path is the likeliest mistake.
	openaiAuthFile: field(
		z
			.string()
			.min(1)
			.max(65_536)
			.refine(isJsonObject, {
				message:
					'must be the JSON contents of Codex’s auth.json, not a path to it (give a path with CODEXK8S_OPENAI_AUTH_FILE_FILE or platform.openaiAuthFileFile)',
			})
			.optional(),
		{
			env: 'CODEXK8S_OPENAI_AUTH_FILE',
			secret: true,
			description:
				'contents of ~/.codex/auth.json from `codex login` (instead of an API key)',
		},
	),
	context7ApiKey: token(
		'CODEXK8S_CONTEXT7_API_KEY',
		'Context7 API key (optional)',
	),
	gitBotToken: token(
		'CODEXK8S_GIT_BOT_TOKEN',
		'separate GitHub token the agent pods push and open pull requests with (needed once: later runs keep it in the cluster)',
	),
	// The platform phase generates it and keeps it in the cluster; given, it replaces the kept one.
	webhookSecret: token(
		'CODEXK8S_GITHUB_WEBHOOK_SECRET',
		'secret GitHub signs webhook deliveries with (default: generated once, kept in the cluster)',
	),
	// It reaches a goose connection URL, so only characters a URL carries as they are.
	postgresPassword: field(
		z
			.string()
			.regex(
				/^[\w.~\-]{16,128}$/v,
				'must be 16 to 128 letters, digits and . _ ~ -',
			)
			.optional(),
		{
			env: 'CODEXK8S_POSTGRES_PASSWORD',
			secret: true,
			description:
				'PostgreSQL password of the platform (default: generated once, kept in the cluster)',
		},
	),
	appSecretKey: token(
		'CODEXK8S_APP_SECRET_KEY',
		'application secret key (default: generated once, kept in the cluster)',
	),
	tokenEncryptionKey: token(
		'CODEXK8S_TOKEN_ENCRYPTION_KEY',
		'key that encrypts repository tokens in the database (default: generated once, kept in the cluster)',
	),
	jwtSigningKey: token(
		'CODEXK8S_JWT_SIGNING_KEY',
		'staff session signing key (default: generated once, kept in the cluster)',
	),
	mcpTokenSigningKey: token(
		'CODEXK8S_MCP_TOKEN_SIGNING_KEY',
		'MCP token signing key (default: generated once, kept in the cluster)',
	),
	buildRef: field(
		z
			.string()
			.regex(
				/^(?:[\da-f]{40}|[\w.\-\/]{1,200})$/v,
				'must be a full commit SHA (40 hex digits) or a branch name',
			)
			.optional(),
		{
			env: 'CODEXK8S_BUILD_REF',
			description:
				'commit (or branch) of the platform repository to build and deploy (default: the base branch)',
		},
	),
	buildComponents: field(
		z
			.array(z.enum(platformComponents))
			.min(1)
			.default([...platformComponents]),
		{
			env: 'CODEXK8S_BUILD_COMPONENTS',
			description: 'platform components whose images are built in the cluster',
		},
	),
	gitBotUsername: field(
		plainName(
			64,
			'must be a git user name of letters, digits, . _ - and single spaces',
		).default('codex-bot'),
		{
			env: 'CODEXK8S_GIT_BOT_USERNAME',
			description: 'git user name of the agent bot',
		},
	),
	gitBotEmail: field(email.default('codex-bot@codex-k8s.local'), {
		env: 'CODEXK8S_GIT_BOT_MAIL',
		description: 'git e-mail of the agent bot',
	}),
	agentModel: field(
		z
			.string()
			.regex(
				/^[\w.:\/\-]{1,100}$/v,
				'must be a model name of letters, digits and . _ : / -',
			)
			.default('gpt-5.4'),
		{
			env: 'CODEXK8S_AGENT_DEFAULT_MODEL',
			description: 'default model of the agents',
		},
	),
	agentLocale: field(
		z
			.string()
			.regex(
				/^[a-zA-Z]{2,3}(?:[\-_][a-zA-Z\d]{2,8}){0,3}$/v,
				'must be a language tag like en, ru or pt-BR',
			)
			.default('en'),
		{
			env: 'CODEXK8S_AGENT_DEFAULT_LOCALE',
			description: 'language the agents write in',
		},
	),
	baseBranch: field(branchName.default('main'), {
		env: 'CODEXK8S_AGENT_BASE_BRANCH',
		description: 'branch that deploys staging',
	}),
	replicas: field(z.coerce.number().int().min(1).max(10).default(1), {
		env: 'CODEXK8S_PLATFORM_DEPLOYMENT_REPLICAS',
		description: 'replicas of each platform deployment',
	}),
});
