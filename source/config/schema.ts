import {z} from 'zod';
import {
	email,
	field,
	fingerprint,
	domainName,
	hostName,
	keptPort,
	kubeName,
	localPath,
	loginUser,
	operatorUser,
	resolverAddress,
	port,
	repoName,
	safeUrl,
	seconds,
	secret,
	token,
} from './field-types.js';
import {cluster} from './cluster-schema.js';
import {platform} from './platform-schema.js';

export {fieldMeta, type FieldMeta} from './field-types.js';

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
	user: field(loginUser.optional(), {
		env: 'CODEXK8S_SSH_USER',
		flag: 'user',
		description: 'login user (default root or from ssh config)',
	}),
	identity: field(localPath.optional(), {
		env: 'CODEXK8S_SSH_IDENTITY',
		flag: 'identity',
		isPath: true,
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
	knownHosts: field(localPath.default('~/.ssh/known_hosts'), {
		env: 'CODEXK8S_KNOWN_HOSTS',
		flag: 'known-hosts',
		isPath: true,
		description: 'SSH known_hosts file where trusted host keys are kept',
	}),
	sudoPassword: secret(
		'CODEXK8S_SUDO_PASSWORD',
		'sudo password of the login user, when sudo asks for one',
	),
});

const operator = z.strictObject({
	user: field(operatorUser.default('codex'), {
		env: 'CODEXK8S_OPERATOR_USER',
		flag: 'operator-user',
		description: 'operator account to create',
	}),
	key: field(localPath.optional(), {
		env: 'CODEXK8S_OPERATOR_KEY',
		flag: 'operator-key',
		isPath: true,
		description:
			"operator's public key file (default: public half of the login key)",
	}),
});

const github = z.strictObject({
	repo: field(repoName.optional(), {
		env: 'CODEXK8S_GITHUB_REPO',
		flag: 'repo',
		description: 'repository owner/name',
	}),
	token: token('CODEXK8S_GITHUB_TOKEN', 'fine-grained GitHub token', [
		'--token-file FILE',
		'--token-stdin',
	]),
	apiUrl: field(safeUrl.default('https://api.github.com'), {
		env: 'CODEXK8S_GITHUB_API_URL',
		flag: 'github-api-url',
		description: 'GitHub API base URL (GitHub Enterprise or a test stand-in)',
	}),
	webhookUrl: field(safeUrl.optional(), {
		env: 'CODEXK8S_GITHUB_WEBHOOK_URL',
		description:
			'where GitHub delivers webhooks (server mode; default https://DOMAIN/api/v1/webhooks/github)',
	}),
	firstProjectRepo: field(repoName.optional(), {
		env: 'CODEXK8S_FIRST_PROJECT_GITHUB_REPO',
		description: 'extra repository that gets the webhook and labels',
	}),
});

const runner = z.strictObject({
	namespace: field(kubeName().default('actions-runner-staging'), {
		env: 'CODEXK8S_RUNNER_NAMESPACE',
		description: 'namespace of the runner scale set',
	}),
	// ARC names Kubernetes objects and a Helm release (at most 53) after it, with suffixes.
	scaleSetName: field(kubeName(45).default('codex-k8s-ai-staging'), {
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
	platform: field(seconds.default(600), {
		env: 'CODEXK8S_PLATFORM_WAIT_TIMEOUT',
		description:
			'seconds to wait for the platform to answer before the webhook is set',
	}),
	runner: field(seconds.default(600), {
		env: 'CODEXK8S_RUNNER_WAIT_TIMEOUT',
		description: 'seconds to wait for a runner of the scale set to be online',
	}),
	deployRun: field(seconds.default(2700), {
		env: 'CODEXK8S_DEPLOY_RUN_TIMEOUT',
		description: 'seconds to follow the deploy workflow run',
	}),
	githubRequest: field(seconds.default(30), {
		env: 'CODEXK8S_GITHUB_REQUEST_TIMEOUT',
		description:
			'seconds one request to GitHub may wait for an answer (then retried briefly)',
	}),
	command: field(seconds.default(900), {
		env: 'CODEXK8S_COMMAND_TIMEOUT',
		description: 'seconds one remote command may take',
	}),
});

const proxy = z.strictObject({
	http: field(safeUrl.optional(), {
		env: 'CODEXK8S_HTTP_PROXY',
		description: 'HTTP proxy the server uses for apt and downloads',
	}),
	https: field(safeUrl.optional(), {
		env: 'CODEXK8S_HTTPS_PROXY',
		description: 'HTTPS proxy the server uses',
	}),
	noProxy: field(
		z
			.string()
			.max(4096)
			.regex(
				/^[\w.*:\/\[\]\-]+(?:,[\w.*:\/\[\]\-]+)*$/v,
				'must be a comma list of host names, domains and addresses, without spaces',
			)
			.optional(),
		{
			env: 'CODEXK8S_NO_PROXY',
			description: 'hosts that bypass the proxy',
		},
	),
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

export const inputSchema = z.strictObject({
	connection: connection.prefault({}),
	operator: operator.prefault({}),
	github: github.prefault({}),
	mode: field(z.enum(['local', 'server']).optional(), {
		env: 'CODEXK8S_MODE',
		flag: 'mode',
		description:
			'runner mode: local (one persistent runner) or server (domain + HTTPS)',
	}),
	domain: field(domainName.optional(), {
		env: 'CODEXK8S_DOMAIN',
		flag: 'domain',
		description: 'public domain of staging (server mode)',
	}),
	dnsResolver: field(resolverAddress.optional(), {
		env: 'CODEXK8S_DNS_RESOLVER',
		flag: 'dns-resolver',
		description:
			"DNS resolver that finds the domain's name servers (default: this computer's), like 192.0.2.53 or [2001:db8::53]:53",
	}),
	acmeEmail: field(email.optional(), {
		env: 'CODEXK8S_ACME_EMAIL',
		flag: 'acme-email',
		description: "Let's Encrypt account e-mail (server mode)",
	}),
	acmeServer: field(z.enum(['production', 'staging']).default('production'), {
		env: 'CODEXK8S_ACME_SERVER',
		flag: 'acme-server',
		description:
			"Let's Encrypt endpoint: production, or staging for trial installs (untrusted certificates) (server mode)",
	}),
	firewall: field(z.boolean().default(true), {
		env: 'CODEXK8S_FIREWALL_ENABLED',
		description: 'set up the host firewall',
	}),
	firewallKeepPorts: field(z.array(keptPort).default([]), {
		env: 'CODEXK8S_FIREWALL_KEEP_PORTS',
		description:
			"ports another firewall on the host allows that the installer's firewall keeps open too, like 8080/tcp or 6000-6007/udp",
	}),
	cluster: cluster.prefault({}),
	platform: platform.prefault({}),
	runner: runner.prefault({}),
	timeouts: timeouts.prefault({}),
	proxy: proxy.prefault({}),
});

export type Input = z.infer<typeof inputSchema>;
export type InputSource = z.input<typeof inputSchema>;
