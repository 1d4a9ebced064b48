import {join} from 'node:path';
import type {Input, Phase} from '../config/schema.js';
import type {Kube} from '../kube/index.js';
import {exitCodes, UsageError, UserError} from '../errors.js';
import {type Check, type CheckResult, runChecks} from '../engine/check.js';
import {readState} from '../engine/state-file.js';
import type {StepContext} from '../engine/step.js';
import {installerVersion} from '../github/context.js';
import {allChecks, allSteps} from '../../steps/index.js';
import {statusDocument, statusText} from '../report/status.js';
import {openRemote, type RemoteRun} from './remote.js';
import {openSession, stepContext, type Session} from './session.js';
import type {Invocation} from './index.js';

const overSsh = (check: Check) =>
	check.reach === 'host' || check.reach === 'cluster';

/**
 * Whether this installation's record says it made what a check looks at: the check's own step
 * completed, or (for a check without one) any step of its phase.
 */
function installedBy(session: Session): (check: Check) => boolean {
	const completed = session.key
		? [...session.store.completions(session.key).keys()]
		: [];
	const phases = new Set(completed.map(id => id.split('.')[0] as Phase));
	return check =>
		check.installedBy
			? completed.includes(check.installedBy)
			: phases.has(check.phase);
}

/** Checks that cannot run here, with the reason, as results of their own. */
const notRun = (
	checks: readonly Check[],
	status: 'skipped' | 'failed',
	detail: string,
): CheckResult[] =>
	checks.map(check => ({
		id: check.id,
		phase: check.phase,
		title: check.title,
		proves: check.proves,
		runbookSection: check.runbookSection,
		status,
		detail,
	}));

/** The cluster with the pod's service account, and the answers the install kept in it. */
async function insideTheCluster(
	invocation: Invocation,
): Promise<{kube: Kube; input: Input}> {
	const {createKube, inClusterTransport, serviceAccountDirectory} =
		await import('../kube/index.js');
	const {inClusterInput} = await import('./in-cluster.js');
	const {env} = invocation;
	// As build and deploy --in-cluster: the token's directory moves only for tests and debugging.
	const directory =
		env['CODEXK8S_SERVICE_ACCOUNT_DIR'] ?? serviceAccountDirectory;
	const kube = createKube(await inClusterTransport(directory, env));
	return {kube, input: await inClusterInput(invocation, kube)};
}

/**
 * `status`: every smoke check at once, read-only, with the versions it read and the
 * installation's answers; exit 0 only when nothing failed. From the laptop the host's checks cost
 * one SSH round trip after the login (every check's facts sent together) and the cluster's go
 * through the same connection; with `--in-cluster` (the deploy workflow's smoke job) the cluster
 * is reached with the pod's service account and the host's checks are left out.
 */
export async function run(invocation: Invocation): Promise<number> {
	const {flags, streams, env} = invocation;
	const inCluster = Boolean(flags['inCluster']);
	const session = await openSession(invocation, {
		registry: allSteps,
		alwaysLog: false,
		openState: directory => readState(join(directory, 'state.json')),
	});
	const {signal} = new AbortController();
	const inside = inCluster ? await insideTheCluster(invocation) : undefined;
	// In the cluster the install's answers are those it kept there; this computer has none.
	const input = inside?.input ?? session.input;
	const checks = allChecks.filter(check => !check.when || check.when(input));
	const base: StepContext = {
		...stepContext({...session, input}, signal, env),
		...(inside ? {kube: async () => inside.kube} : {}),
	};
	const here = checks.filter(check => !overSsh(check));
	const remote = checks.filter(check => overSsh(check));
	const results: CheckResult[] = [];
	let remoteRun: RemoteRun | undefined;
	let context = base;
	if (inside) {
		here.push(...remote.filter(check => check.reach === 'cluster'));
		results.push(
			...notRun(
				remote.filter(check => check.reach === 'host'),
				'skipped',
				'the host is not looked at from inside the cluster',
			),
		);
	} else if (session.key) {
		try {
			remoteRun = await openRemote(
				session,
				{...invocation, interactive: false},
				signal,
			);
			context = {...base, host: remoteRun?.host};
			here.push(...remote);
		} catch (error) {
			if (!(error instanceof UserError)) {
				throw error;
			}

			results.push(
				...notRun(remote, 'failed', `cannot connect: ${error.message}`),
			);
		}
	} else {
		throw new UsageError(
			'No target host given',
			'Pass --host (or CODEXK8S_HOST, or connection.host in --config); inside the cluster, --in-cluster.',
		);
	}

	try {
		results.push(
			...(await runChecks(
				here,
				context,
				// The answers kept in the cluster are the install's record there: what it made must be there.
				inside ? check => check.reach === 'cluster' : installedBy(session),
			)),
		);
	} finally {
		await remoteRun?.close();
	}

	const order = new Map(checks.map((check, index) => [check.id, index]));
	results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
	const document = statusDocument({
		target: session.key ?? (inCluster ? 'the cluster' : '(no host given)'),
		inCluster,
		roundTrips: remoteRun?.host.session.roundTrips,
		installer: installerVersion,
		input,
		results,
	});
	streams.stdout.write(
		flags['json']
			? `${JSON.stringify(document, undefined, 2)}\n`
			: statusText(document),
	);
	return document.ok ? exitCodes.ok : exitCodes.failed;
}
