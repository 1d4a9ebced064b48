// The platform phase against the test cluster's real API server: a first run creates every
// object and generates the secrets; a run without the secret inputs keeps every value byte for
// byte; a given value replaces exactly its key; a converged run changes nothing; switching local
// → server is planned as the ingress and the public address; no secret value leaves its Secret.
import {Buffer} from 'node:buffer';
import type {Finding} from '../../../source/engine/step.js';
import {platformSecrets} from '../../../steps/kit-secrets.js';
import {platformIngress} from '../../../steps/platform/access.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {kubeOf} from '../../helpers/kube.js';
import {
	canaries,
	everythingButSecrets,
	planPhase,
	platformInput,
	readLog,
	recordingContext,
	runPhase,
	secretData,
} from '../../helpers/platform-phase.js';

const clusterTest = clusterTests();

const namespace = 'staging';
const secretNames = Object.values(platformSecrets);
const given = canaries();

const changesOf = (findings: Map<string, Finding>) =>
	Object.fromEntries(
		[...findings].flatMap(([id, finding]) =>
			finding.kind === 'new' || finding.kind === 'change'
				? [[id, finding.changes]]
				: [],
		),
	);

async function allSecrets(kube: Awaited<ReturnType<typeof kubeOf>>) {
	const entries = await Promise.all(
		secretNames.map(
			async name => [name, await secretData(kube, namespace, name)] as const,
		),
	);
	return Object.fromEntries(entries);
}

clusterTest(
	'first run: every object created, secrets generated; the plan names keys, never values',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const run = recordingContext(kube, platformInput(namespace, given));
		const findings = await runPhase(run.context);
		t.deepEqual(findings.get('platform.secrets'), {
			kind: 'new',
			changes: [
				'create Secret staging/codex-k8s-postgres: CODEXK8S_POSTGRES_DB set, CODEXK8S_POSTGRES_USER set, CODEXK8S_POSTGRES_PASSWORD generated',
				'create Secret staging/codex-k8s-runtime: CODEXK8S_GITHUB_PAT set, CODEXK8S_GIT_BOT_TOKEN set, CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET set, CODEXK8S_OPENAI_API_KEY set, CODEXK8S_APP_SECRET_KEY generated, CODEXK8S_TOKEN_ENCRYPTION_KEY generated, CODEXK8S_JWT_SIGNING_KEY generated, CODEXK8S_MCP_TOKEN_SIGNING_KEY generated, CODEXK8S_GITHUB_WEBHOOK_SECRET generated',
				'create Secret staging/codex-k8s-oauth2-proxy: OAUTH2_PROXY_CLIENT_ID set, OAUTH2_PROXY_CLIENT_SECRET set, OAUTH2_PROXY_COOKIE_SECRET generated',
				'create Secret staging/codex-k8s-git-token: token set',
			],
		});
		const secrets = await allSecrets(kube);
		const decoded = (name: string, key: string) =>
			Buffer.from(secrets[name]![key]!, 'base64').toString('utf8');
		t.regex(
			decoded('codex-k8s-postgres', 'CODEXK8S_POSTGRES_PASSWORD'),
			/^[\da-f]{48}$/,
		);
		t.regex(
			decoded('codex-k8s-runtime', 'CODEXK8S_JWT_SIGNING_KEY'),
			/^[\da-f]{64}$/,
		);
		t.is(
			decoded('codex-k8s-oauth2-proxy', 'OAUTH2_PROXY_COOKIE_SECRET').length,
			32,
		);
		t.is(
			decoded('codex-k8s-runtime', 'CODEXK8S_GIT_BOT_TOKEN'),
			given.gitBotToken,
		);

		// Every value of every Secret, given or generated, stays in its Secret.
		const values = Object.values(secrets).flatMap(data =>
			Object.entries(data)
				.filter(([key]) => !/_(DB|USER|CLIENT_ID)$/.test(key))
				.map(([, value]) => Buffer.from(value, 'base64').toString('utf8')),
		);
		const outside = [
			await everythingButSecrets(kube, namespace),
			readLog(run.logFile),
			run.lines.join('\n'),
			JSON.stringify([...findings]),
		].join('\n');
		for (const value of values) {
			t.false(outside.includes(value), 'a secret value outside its Secret');
		}

		const tunnel = findings.get('platform.tunnel');
		t.is(tunnel?.kind, 'done');
		t.regex(
			(tunnel as {note: string}).note,
			/^open the staff UI at http:\/\/localhost:8080\/ with: ssh -N -L 8080:[\d.]+:4180 codex@203\.0\.113\.10$/,
		);
	},
);

clusterTest(
	'a run without the secret inputs keeps every value byte for byte and changes nothing',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const before = await allSecrets(kube);
		const run = recordingContext(kube, platformInput(namespace, {}));
		const findings = await runPhase(run.context);
		t.deepEqual(changesOf(findings), {});
		t.deepEqual(findings.get('platform.secrets'), {
			kind: 'done',
			note: 'every value kept (16 in 4 Secrets)',
		});
		t.deepEqual(await allSecrets(kube), before);
	},
);

clusterTest(
	'a given value replaces exactly its key; the plan says so without the value',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const before = await allSecrets(kube);
		const jwt = 'CANARYJWT0123456789abcdef0123456789';
		const run = recordingContext(
			kube,
			platformInput(namespace, {}, {platform: {jwtSigningKey: jwt}}),
		);
		const findings = await runPhase(run.context);
		t.deepEqual(changesOf(findings), {
			'platform.secrets': [
				'update Secret staging/codex-k8s-runtime: CODEXK8S_JWT_SIGNING_KEY replaced (given); 8 kept',
			],
		});
		const after = await allSecrets(kube);
		const {CODEXK8S_JWT_SIGNING_KEY: newKey, ...rest} =
			after[platformSecrets.runtime]!;
		const {CODEXK8S_JWT_SIGNING_KEY: _old, ...restBefore} =
			before[platformSecrets.runtime]!;
		t.is(Buffer.from(newKey!, 'base64').toString('utf8'), jwt);
		t.deepEqual(rest, restBefore);
		t.deepEqual(
			{...after, [platformSecrets.runtime]: undefined},
			{...before, [platformSecrets.runtime]: undefined},
		);
		t.false(readLog(run.logFile).includes(jwt));
		t.false(run.lines.join('\n').includes(jwt));
	},
);

clusterTest(
	"local → server is planned as the ingress and the public address (its URL, oauth2-proxy's callback and cookie) only",
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const server = platformInput(
			namespace,
			{},
			{
				mode: 'server',
				domain: 'staging.example.com',
				acmeEmail: 'ops@example.com',
			},
		);
		const findings = await planPhase(recordingContext(kube, server).context);
		t.deepEqual(changesOf(findings), {
			'platform.namespace': [
				'update ConfigMap staging/codex-k8s-deploy-resources: data.CODEXK8S_PUBLIC_BASE_URL: "http://localhost:8080" → "https://staging.example.com"',
				'update ConfigMap staging/codex-k8s-install-answers: data.mode: "local" → "server"',
				'update ConfigMap staging/codex-k8s-install-answers: data.acmeEmail: (none) → "ops@example.com"',
				'update ConfigMap staging/codex-k8s-install-answers: data.domain: (none) → "staging.example.com"',
			],
			'platform.components': [
				'update Deployment staging/oauth2-proxy: spec.template.spec.containers[oauth2-proxy].env[OAUTH2_PROXY_REDIRECT_URL].value: "http://localhost:8080/oauth2/callback" → "https://staging.example.com/oauth2/callback"',
				'update Deployment staging/oauth2-proxy: spec.template.spec.containers[oauth2-proxy].env[OAUTH2_PROXY_COOKIE_SECURE].value: "false" → "true"',
			],
			'platform.ingress': ['create Ingress staging/codex-k8s'],
		});
		t.false(findings.has('platform.tunnel'));
	},
);

clusterTest(
	'server → local deletes the Ingress the server mode made',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const server = recordingContext(
			kube,
			platformInput(
				namespace,
				{},
				{
					mode: 'server',
					domain: 'staging.example.com',
					acmeEmail: 'ops@example.com',
				},
			),
		).context;
		// Made as a server-mode run makes it; its certificate is not issued here (no ACME server).
		await platformIngress.apply!(server, await platformIngress.check(server));
		const local = recordingContext(kube, platformInput(namespace, {})).context;
		t.deepEqual(changesOf(await planPhase(local)), {
			'platform.tunnel': [
				'delete Ingress staging/codex-k8s: local mode publishes nothing',
			],
		});
		await runPhase(local);
		t.is(
			await kube.read(
				'/apis/networking.k8s.io/v1/namespaces/staging/ingresses/codex-k8s',
			),
			undefined,
		);
		t.deepEqual(changesOf(await planPhase(local)), {});
	},
);
