import {z} from 'zod';

/**
 * How an input can be given besides the config file. `secret` inputs never have a
 * plain flag: they come from the environment, a file, stdin or the wizard, and are never persisted.
 */
export type FieldMeta = {
	env: string;
	flag?: string;
	secret?: boolean;
	description: string;
};

const field = <T extends z.ZodType>(schema: T, meta: FieldMeta): T =>
	schema.meta(meta);

const secret = (env: string, description: string) =>
	field(z.string().min(1).optional(), {env, secret: true, description});

const hostName = z
	.string()
	.min(1)
	.regex(/^[\w.:@[\]-]+$/, 'must be an address, a host name or an ssh config alias');

const port = z.coerce.number().int().min(1).max(65_535);
const email = z.email();
const seconds = z.coerce.number().int().positive();
const fingerprint = z
	.string()
	.regex(
		/^SHA256:[\w+/]{43}=?$/,
		'must look like SHA256:… as printed by `ssh-keygen -lf`',
	);

const connection = z.strictObject({
	host: field(hostName.optional(), {
		env: 'CODEXK8S_HOST',
		flag: 'host',
		description: 'target address or ~/.ssh/config alias',
	}),
	port: field(port.optional(), {
		env: 'CODEXK8S_SSH_PORT',
		flag: 'port',
		description: 'SSH port (default 22 or from ssh config)',
	}),
	user: field(z.string().min(1).optional(), {
		env: 'CODEXK8S_SSH_USER',
		flag: 'user',
		description: 'login user (default root or from ssh config)',
	}),
	identity: field(z.string().min(1).optional(), {
		env: 'CODEXK8S_SSH_IDENTITY',
		flag: 'identity',
		description: 'private key file (default: agent, then ssh config)',
	}),
	keyPassphrase: secret(
		'CODEXK8S_SSH_KEY_PASSPHRASE',
		'passphrase of an encrypted private key',
	),
	hostKeyFingerprint: field(fingerprint.optional(), {
		env: 'CODEXK8S_HOST_KEY_FINGERPRINT',
		flag: 'host-key-fingerprint',
		description: 'expected SHA256:… host key of an unknown host',
	}),
	knownHosts: field(z.string().min(1).default('~/.ssh/known_hosts'), {
		env: 'CODEXK8S_KNOWN_HOSTS',
		flag: 'known-hosts',
		description: 'known_hosts file',
	}),
	sudoPassword: secret(
		'CODEXK8S_SUDO_PASSWORD',
		'sudo password of the login user, when sudo asks for one',
	),
});

const operator = z.strictObject({
	user: field(
		z
			.string()
			.regex(
				/^[a-z_][\w-]{0,31}$/,
				'must be a Linux user name: lower case letters, digits, _ and -',
			)
			.default('codex'),
		{
			env: 'CODEXK8S_OPERATOR_USER',
			flag: 'operator-user',
			description: 'operator account to create',
		},
	),
	key: field(z.string().min(1).optional(), {
		env: 'CODEXK8S_OPERATOR_KEY',
		flag: 'operator-key',
		description: "operator's public key file (default: public half of the login key)",
	}),
});

const github = z.strictObject({
	repo: field(
		z
			.string()
			.regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, like acme/codex-k8s')
			.optional(),
		{env: 'CODEXK8S_GITHUB_REPO', flag: 'repo', description: 'repository owner/name'},
	),
	token: secret('CODEXK8S_GITHUB_TOKEN', 'fine-grained GitHub token'),
	apiUrl: field(z.url().default('https://api.github.com'), {
		env: 'CODEXK8S_GITHUB_API_URL',
		flag: 'github-api-url',
		description: 'GitHub API base URL (GitHub Enterprise or a test stand-in)',
	}),
	firstProjectRepo: field(
		z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name').optional(),
		{
			env: 'CODEXK8S_FIRST_PROJECT_GITHUB_REPO',
			description: 'extra repository that gets the webhook and labels',
		},
	),
});

const platform = z.strictObject({
	namespace: field(z.string().min(1).default('codex-k8s-ai-staging'), {
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
		description: 'pre-provisioned staff e-mails (comma list in env)',
	}),
	oauthClientId: field(z.string().min(1).optional(), {
		env: 'CODEXK8S_GITHUB_OAUTH_CLIENT_ID',
		flag: 'oauth-client-id',
		description: 'GitHub OAuth App client id for the staff UI',
	}),
	oauthClientSecret: secret(
		'CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET',
		'GitHub OAuth App client secret',
	),
	openaiApiKey: secret('CODEXK8S_OPENAI_API_KEY', 'OpenAI API key'),
	openaiAuthFile: secret(
		'CODEXK8S_OPENAI_AUTH_FILE',
		'contents of ~/.codex/auth.json (instead of an API key)',
	),
	context7ApiKey: secret('CODEXK8S_CONTEXT7_API_KEY', 'Context7 API key (optional)'),
	gitBotToken: secret('CODEXK8S_GIT_BOT_TOKEN', 'token the agent pods push with'),
	gitBotUsername: field(z.string().min(1).default('codex-bot'), {
		env: 'CODEXK8S_GIT_BOT_USERNAME',
		description: 'git user name of the agent bot',
	}),
	gitBotEmail: field(email.default('codex-bot@codex-k8s.local'), {
		env: 'CODEXK8S_GIT_BOT_MAIL',
		description: 'git e-mail of the agent bot',
	}),
	agentModel: field(z.string().min(1).default('gpt-5.4'), {
		env: 'CODEXK8S_AGENT_DEFAULT_MODEL',
		description: 'default model of the agents',
	}),
	agentLocale: field(z.string().min(2).default('en'), {
		env: 'CODEXK8S_AGENT_DEFAULT_LOCALE',
		description: 'language the agents write in',
	}),
	baseBranch: field(z.string().min(1).default('main'), {
		env: 'CODEXK8S_AGENT_BASE_BRANCH',
		description: 'branch that deploys staging',
	}),
	replicas: field(z.coerce.number().int().min(1).max(10).default(1), {
		env: 'CODEXK8S_PLATFORM_DEPLOYMENT_REPLICAS',
		description: 'replicas of each platform deployment',
	}),
});

const runner = z.strictObject({
	namespace: field(z.string().min(1).default('actions-runner-staging'), {
		env: 'CODEXK8S_RUNNER_NAMESPACE',
		description: 'namespace of the runner scale set',
	}),
	scaleSetName: field(z.string().min(1).default('codex-k8s-ai-staging'), {
		env: 'CODEXK8S_RUNNER_SCALE_SET_NAME',
		description: 'runner scale set name, also the workflow runs-on label',
	}),
	min: field(z.coerce.number().int().min(0).max(20).optional(), {
		env: 'CODEXK8S_RUNNER_MIN',
		description: 'minimum runners (local mode: 1; server mode default 0)',
	}),
	max: field(z.coerce.number().int().min(1).max(20).optional(), {
		env: 'CODEXK8S_RUNNER_MAX',
		description: 'maximum runners (local mode: 1; server mode default 2)',
	}),
});

const timeouts = z.strictObject({
	firstBoot: field(seconds.default(600), {
		env: 'CODEXK8S_FIRST_BOOT_TIMEOUT',
		description: 'seconds to wait for cloud-init and apt locks',
	}),
	dnsWait: field(seconds.default(900), {
		env: 'CODEXK8S_DNS_WAIT_TIMEOUT',
		description: 'seconds to wait for the domain to point at the host',
	}),
	nodeReady: field(seconds.default(1200), {
		env: 'CODEXK8S_NODE_READY_TIMEOUT',
		description: 'seconds to wait for the k3s node to be Ready',
	}),
	rollout: field(seconds.default(1800), {
		env: 'CODEXK8S_ROLLOUT_TIMEOUT',
		description: 'seconds to wait for a rollout',
	}),
	command: field(seconds.default(900), {
		env: 'CODEXK8S_COMMAND_TIMEOUT',
		description: 'seconds one remote command may take',
	}),
});

const proxy = z.strictObject({
	http: field(z.url().optional(), {
		env: 'CODEXK8S_HTTP_PROXY',
		description: 'HTTP proxy the server uses for apt and downloads',
	}),
	https: field(z.url().optional(), {
		env: 'CODEXK8S_HTTPS_PROXY',
		description: 'HTTPS proxy the server uses',
	}),
	noProxy: field(z.string().optional(), {
		env: 'CODEXK8S_NO_PROXY',
		description: 'hosts that bypass the proxy',
	}),
});

export const phases = [
	'preflight',
	'host',
	'cluster',
	'platform',
	'runner',
	'github',
	'verify',
] as const;

export type Phase = (typeof phases)[number];

const domainName = z
	.string()
	.regex(
		/^(?=.{1,253}$)([a-z\d]([a-z\d-]{0,61}[a-z\d])?\.)+[a-z]{2,63}$/i,
		'must be a fully qualified domain name like staging.example.com',
	);

export const inputSchema = z
	.strictObject({
		connection: connection.prefault({}),
		operator: operator.prefault({}),
		github: github.prefault({}),
		mode: field(z.enum(['local', 'server']).optional(), {
			env: 'CODEXK8S_MODE',
			flag: 'mode',
			description: 'runner mode: local (one persistent runner) or server (domain + HTTPS)',
		}),
		domain: field(domainName.optional(), {
			env: 'CODEXK8S_DOMAIN',
			flag: 'domain',
			description: 'public domain of staging (server mode)',
		}),
		acmeEmail: field(email.optional(), {
			env: 'CODEXK8S_ACME_EMAIL',
			flag: 'acme-email',
			description: "Let's Encrypt account e-mail (server mode)",
		}),
		firewall: field(z.boolean().default(true), {
			env: 'CODEXK8S_FIREWALL_ENABLED',
			description: 'set up the host firewall',
		}),
		platform: platform.prefault({}),
		runner: runner.prefault({}),
		timeouts: timeouts.prefault({}),
		proxy: proxy.prefault({}),
	});

export type Input = z.infer<typeof inputSchema>;
export type InputSource = z.input<typeof inputSchema>;
