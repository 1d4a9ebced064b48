import {join} from 'node:path';
import {exitCodes, UnreachableError, UserError} from '../errors.js';
import {makePlan, type PlannedStep} from '../engine/plan.js';
import {selectSteps} from '../engine/registry.js';
import {readState} from '../engine/state-file.js';
import type {Step} from '../engine/step.js';
import {allSteps} from '../../steps/index.js';
import {
	type DoctorFinding,
	doctorFinding,
	doctorText,
} from '../report/findings.js';
import {openRemote, type RemoteRun} from './remote.js';
import {openSession, stepContext} from './session.js';
import type {Invocation} from './index.js';

const overSsh = (step: Step) =>
	step.reach === 'host' || step.reach === 'cluster';

/** The SSH connection's own finding: it is what every host check needs first. */
const connectionFinding = (
	status: DoctorFinding['status'],
	detail: string,
	fix?: string,
): DoctorFinding => ({
	id: 'doctor.connection',
	title: 'SSH connection and host key',
	status,
	detail,
	...(fix ? {fix} : {}),
});

/**
 * `doctor`: every preflight check, read-only — this computer (Node.js, key files, known_hosts),
 * SSH login and host key, root access, the host's known pitfalls (apt/dpkg locks, clock skew,
 * disk and memory), the token's permissions and DNS — each problem with its fix. It changes
 * nothing: it never asks (an unknown host key is a finding, not a question) and takes no lock.
 * Exit 0 when no problem was found, 1 otherwise.
 */
export async function run(invocation: Invocation): Promise<number> {
	const {streams, flags, env} = invocation;
	const session = await openSession(invocation, {
		registry: allSteps,
		alwaysLog: false,
		openState: directory => readState(join(directory, 'state.json')),
	});
	const {input} = session;
	// Every preflight check, and the answers only as far as the checks themselves need them.
	const checks = selectSteps(allSteps, input, ['preflight']);
	const {signal} = new AbortController();
	let remote: RemoteRun | undefined;
	let connection: DoctorFinding;
	if (session.key) {
		try {
			remote = await openRemote(
				{...session, steps: checks},
				{...invocation, interactive: false},
				signal,
			);
			connection = connectionFinding(
				'ok',
				`logged in as ${remote?.host.session.target.user ?? '?'}; host key known`,
			);
		} catch (error) {
			if (!(error instanceof UserError)) {
				throw error;
			}

			connection = connectionFinding('problem', error.message, error.hint);
		}
	} else {
		connection = connectionFinding(
			'unknown',
			'no host given: pass --host (or CODEXK8S_HOST) to check it too',
		);
	}

	const plan = async (steps: readonly Step[]) => {
		const made = await makePlan(
			steps,
			{
				...stepContext({...session, phases: ['preflight']}, signal, env),
				host: remote?.host,
			},
			{probe: true},
		);
		return made.steps;
	};

	const reachable = remote ? checks : checks.filter(step => !overSsh(step));
	let planned: PlannedStep[];
	const unreachable: DoctorFinding[] = [];
	try {
		planned = await plan(reachable);
	} catch (error) {
		// GitHub (or the network) does not answer: a finding, and the other checks still run.
		if (!(error instanceof UnreachableError)) {
			throw error;
		}

		unreachable.push({
			id: 'doctor.github',
			title: 'GitHub answers',
			status: 'problem',
			detail: error.message,
			...(error.hint ? {fix: error.hint} : {}),
		});
		planned = await plan(reachable.filter(step => step.reach !== 'github'));
	} finally {
		await remote?.close();
	}

	const byId = new Map(checks.map(step => [step.id, step]));
	const findings = [
		connection,
		...unreachable,
		...planned.map(step => doctorFinding(step, byId.get(step.id), input)),
	];
	const ok = findings.every(item => item.status !== 'problem');
	const target = session.key ?? '(no host given)';
	streams.stdout.write(
		flags['json']
			? `${JSON.stringify({command: 'doctor', target, ok, findings}, undefined, 2)}\n`
			: doctorText(target, findings),
	);
	return ok ? exitCodes.ok : exitCodes.failed;
}
