import type {Invocation} from '../cli.js';
import {phases} from '../config/schema.js';
import {exitCodes, formatError, InterruptedError, UsageError, UserError} from '../engine/errors.js';
import {fanOut, type EventSink} from '../engine/events.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import {createInterrupt, type Interrupt} from '../engine/interrupt.js';
import {countChanges, makePlan} from '../engine/plan.js';
import {runSteps, type Journal} from '../engine/runner.js';
import type {Step} from '../engine/step.js';
import {allSteps} from '../../steps/index.js';
import {createLineRenderer} from '../report/line-renderer.js';
import {planText} from '../report/plan-text.js';
import {askYesNo} from './confirm.js';
import {planHeader} from './plan.js';
import {runJson} from './run-report.js';
import {answersToSave, openSession, stepContext} from './session.js';

export type InstallDeps = {
	registry?: readonly Step[];
	interrupt?: Interrupt;
	/** Extra consumer of engine events (the Ink run view, or a test). */
	sink?: EventSink;
};

function unbuiltPhases(registry: readonly Step[], wanted: readonly string[]): string[] {
	return wanted.filter(phase => phase !== 'preflight' && !registry.some(step => step.phase === phase));
}

/**
 * `install` and `resume`: plan with read-only checks, confirm, run the changes, remember the
 * outcome. Resume is the same with the saved answers: done steps report "already done".
 */
export async function install(invocation: Invocation, deps: InstallDeps & {resume?: boolean} = {}): Promise<number> {
	const {flags, streams, env, interactive} = invocation;
	const registry = deps.registry ?? allSteps;
	const session = await openSession(invocation, {registry, alwaysLog: true, resume: deps.resume});
	const unbuilt = unbuiltPhases(registry, session.phases);
	if (unbuilt.length > 0) {
		throw new UserError(`This version cannot install the ${unbuilt.join(', ')} phase${unbuilt.length > 1 ? 's' : ''} yet`, {
			hint: `Built so far: ${phases.filter(phase => !unbuilt.includes(phase)).join(', ')}. \`codex-k8s-install plan\` shows every step this version has.`,
		});
	}

	const {key, store, log} = session;
	if (!key) {
		throw new UsageError(
			deps.resume ? 'There is no unfinished install to resume' : 'No target host given',
			'Pass --host (or CODEXK8S_HOST, or connection.host in --config).',
		);
	}

	const interrupt = deps.interrupt ?? createInterrupt({notify: message => streams.stderr.write(`\n${message}\n`)});
	const completions = store.completions(key);
	const base = stepContext(session, interrupt.signal, env);
	const plan = await makePlan(session.steps, base, {probe: true, completed: completions, fingerprint: fingerprintStep});
	const changes = countChanges(plan);
	if (!flags['json']) {
		streams.stderr.write(planText(plan, planHeader(session)));
	}

	if (changes > 0 && !flags['yes'] && plan.steps.every(step => step.finding.kind !== 'blocked')) {
		if (!interactive) {
			throw new UsageError(`${changes} step${changes > 1 ? 's' : ''} would change the host`, 'Pass --yes to run without a prompt.');
		}

		if (!(await askYesNo(streams, `Apply ${changes} change${changes > 1 ? 's' : ''}?`))) {
			streams.stderr.write('Nothing was changed.\n');
			return exitCodes.ok;
		}
	}

	store.saveAnswers(key, answersToSave(session));
	const runId = store.startRun(key, invocation.command);
	const journal: Journal = {
		completed: step => store.stepCompleted(key, step.id, fingerprintStep(step, session.input)),
		failed(step, error) {
			log.error(`[${step.id}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
			store.stepFailed(key, {stepId: step.id, message: error instanceof Error ? error.message : String(error), hint: error instanceof UserError ? error.hint : undefined});
		},
	};
	const sinks = [createLineRenderer(streams.stderr), ...(deps.sink ? [deps.sink] : [])];
	const result = await runSteps(session.steps, base, {command: invocation.command, dryRun: false, plan, journal, sink: fanOut(...sinks)});
	const interrupted = result.error instanceof InterruptedError;
	store.finishRun(key, runId, result.ok ? 'ok' : interrupted ? 'interrupted' : 'failed', result.changes);
	interrupt.dispose();
	if (flags['json']) {
		streams.stdout.write(`${JSON.stringify(runJson(invocation.command, plan.mode, result, log.file), undefined, 2)}\n`);
	} else {
		streams.stdout.write(result.ok ? `Done: ${result.changes} change${result.changes === 1 ? '' : 's'}. Log: ${log.file}\n` : '');
	}

	if (!result.ok) {
		streams.stderr.write(`${formatError(result.error, log.file)}\n`);
		if (!interrupted) {
			streams.stderr.write(`  Fix the cause, then run: codex-k8s-install resume\n`);
		}
	}

	return result.ok ? exitCodes.ok : interrupted ? exitCodes.interrupted : exitCodes.failed;
}

export const run = async (invocation: Invocation) => install(invocation);
