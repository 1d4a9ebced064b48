import {Buffer} from 'node:buffer';
import {spawn} from 'node:child_process';
import {createWriteStream, existsSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse} from 'yaml';
import {goBinary} from './cluster/binary.js';
import {type ApiClient, apiClient, type Credentials} from './cluster/http.js';
import {waitFor} from './cluster/wait.js';

export type {ApiClient, ApiResponse} from './cluster/http.js';
export {waitFor} from './cluster/wait.js';

type Condition = {
	type: string;
	status: string;
	reason?: string;
	message?: string;
};

/** An object's status condition of the given type (a Deployment's Available, a Job's Failed…). */
export function condition(
	object: {status?: {conditions?: Condition[]}},
	type: string,
): Condition | undefined {
	return object.status?.conditions?.find(each => each.type === type);
}

export type Cluster = ApiClient & {
	readonly kubeconfigPath: string;
	readonly server: string;
	readonly credentials: Credentials;
	/**
	 * The API server's audit log (JSON lines, Metadata level): the requests of service accounts
	 * outside kube-system, as test/cluster/internal/controlplane writes its policy.
	 */
	readonly auditLogPath: string;
	/** A client authenticated as a service account, with a token minted by the API (TokenRequest). */
	asServiceAccount(namespace: string, name: string): Promise<ApiClient>;
	/** The last lines the cluster process wrote, for a failing test's log. */
	logTail(): string;
};

export type RunningCluster = Cluster & {stop(): Promise<void>};

type KubeconfigFile = {
	clusters: Array<{
		cluster: {server: string; 'certificate-authority-data': string};
	}>;
	users: Array<{
		user: {'client-certificate-data': string; 'client-key-data': string};
	}>;
};

function fromBase64(text: string): string {
	return Buffer.from(text, 'base64').toString('utf8');
}

/** Starts a test cluster in a temporary directory: the real API server, a simulated node. */
export async function startCluster(): Promise<RunningCluster> {
	const binary = await goBinary('kcluster');
	const directory = await mkdtemp(path.join(tmpdir(), 'kcluster-'));
	const kubeconfigPath = path.join(directory, 'kubeconfig.yaml');
	const logPath = path.join(directory, 'kcluster.log');
	const log = createWriteStream(logPath);
	const child = spawn(
		binary,
		[
			'server',
			`--data-dir=${path.join(directory, 'data')}`,
			`--write-kubeconfig=${kubeconfigPath}`,
			'--https-listen-port=0',
			'--node-name=kcluster-node',
		],
		{stdio: ['ignore', 'pipe', 'pipe']},
	);
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	let exited: string | undefined;
	child.once('exit', (code, signal) => {
		exited = `exited (${code ?? signal})`;
	});
	const logTail = () =>
		existsSync(logPath)
			? readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n')
			: '';
	const stop = async () => {
		if (exited === undefined) {
			const gone = new Promise(resolve => {
				child.once('exit', resolve);
			});
			child.kill('SIGTERM');
			await gone;
		}

		log.end();
		await rm(directory, {recursive: true, force: true});
	};

	try {
		await waitFor(
			'the test cluster to write its kubeconfig',
			() => {
				if (exited !== undefined) {
					throw new Error(`the test cluster ${exited}:\n${logTail()}`);
				}

				return existsSync(kubeconfigPath) ? true : undefined;
			},
			5 * 60_000,
		);
		const file = parse(
			await readFile(kubeconfigPath, 'utf8'),
		) as KubeconfigFile;
		const {server} = file.clusters[0]!.cluster;
		const credentials: Credentials = {
			ca: fromBase64(file.clusters[0]!.cluster['certificate-authority-data']),
			cert: fromBase64(file.users[0]!.user['client-certificate-data']),
			key: fromBase64(file.users[0]!.user['client-key-data']),
		};
		const admin = apiClient(server, credentials);
		return {
			...admin,
			kubeconfigPath,
			server,
			credentials,
			auditLogPath: path.join(directory, 'data', 'audit', 'audit.log'),
			logTail,
			stop,
			async asServiceAccount(namespace, name) {
				const account = await admin.request(
					'POST',
					`/api/v1/namespaces/${namespace}/serviceaccounts`,
					{
						metadata: {name},
					},
				);
				if (account.status !== 201 && account.status !== 409) {
					throw new Error(
						`creating service account ${namespace}/${name}: ${account.status}`,
					);
				}

				const minted = await admin.request(
					'POST',
					`/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
					{
						apiVersion: 'authentication.k8s.io/v1',
						kind: 'TokenRequest',
						spec: {},
					},
				);
				const token = (minted.body as {status?: {token?: string}}).status
					?.token;
				if (minted.status !== 201 || !token) {
					throw new Error(
						`minting a token for ${namespace}/${name}: ${minted.status}`,
					);
				}

				return apiClient(server, {ca: credentials.ca, token});
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** Runs `test` against a fresh test cluster and removes the cluster afterwards, whatever happens. */
export async function withCluster<T>(
	test: (cluster: Cluster) => Promise<T>,
): Promise<T> {
	const cluster = await startCluster();
	try {
		return await test(cluster);
	} finally {
		await cluster.stop();
	}
}
