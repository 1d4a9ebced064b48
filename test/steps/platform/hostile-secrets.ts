// Hostile values the schema accepts for the platform's secret inputs reach their Secret byte-exact
// and run nothing (they went to repository secrets before; the workflow now reads the cluster's).
import {Buffer} from 'node:buffer';
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {apply} from '../../../source/kube/index.js';
import {platformSecretsStep} from '../../../steps/platform/secrets.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {hostilePayloads} from '../../helpers/hostile.js';
import {kubeOf} from '../../helpers/kube.js';
import {
	canaries,
	platformInput,
	recordingContext,
	secretData,
} from '../../helpers/platform-phase.js';

const clusterTest = clusterTests();

clusterTest(
	'hostile secret values reach the platform Secrets byte-exact and run nothing',
	async (t, cluster) => {
		const marker = join(mkdtempSync(join(tmpdir(), 'ck8s-hostile-')), 'marker');
		const payloads = hostilePayloads(marker);
		const platform = {
			oauthClientSecret: payloads['double quote'],
			openaiApiKey: payloads['single quote'],
			context7ApiKey: payloads.semicolon,
			gitBotToken: payloads['command substitution'],
			webhookSecret: payloads.backticks,
			openaiAuthFile: JSON.stringify({token: payloads.backticks}),
		};
		const kube = await kubeOf(cluster);
		const namespace = 'hostile';
		const {githubToken} = canaries();
		const {context} = recordingContext(
			kube,
			platformInput(namespace, {githubToken}, {platform}),
		);
		await apply(
			kube,
			{apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}},
			{force: true},
		);
		const finding = await platformSecretsStep.check(context);
		t.is(finding.kind, 'new');
		await platformSecretsStep.apply!(context, finding);
		const runtime = await secretData(kube, namespace, 'codex-k8s-runtime');
		const oauth = await secretData(kube, namespace, 'codex-k8s-oauth2-proxy');
		const decoded = (data: Record<string, string>, key: string) =>
			Buffer.from(data[key]!, 'base64').toString('utf8');
		for (const [key, value] of [
			['CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET', platform.oauthClientSecret],
			['CODEXK8S_OPENAI_API_KEY', platform.openaiApiKey],
			['CODEXK8S_CONTEXT7_API_KEY', platform.context7ApiKey],
			['CODEXK8S_GIT_BOT_TOKEN', platform.gitBotToken],
			['CODEXK8S_GITHUB_WEBHOOK_SECRET', platform.webhookSecret],
			['CODEXK8S_OPENAI_AUTH_FILE', platform.openaiAuthFile],
		] as const) {
			t.is(decoded(runtime, key), value, key);
		}

		t.is(
			decoded(oauth, 'OAUTH2_PROXY_CLIENT_SECRET'),
			platform.oauthClientSecret,
		);
		t.false(existsSync(marker), 'a marker appeared');
	},
);
