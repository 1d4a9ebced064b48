import {UserError} from '../../source/errors.js';
import type {Step, StepContext} from '../../source/engine/step.js';
import {type GitHub, slugOf} from '../../source/github/client.js';
import {projectRepos, projectSlugs} from '../../source/github/context.js';
import {
	type HookRecords,
	readHookRecords,
	writeHookRecords,
} from '../../source/github/hook-records.js';
import {
	platformAnswers,
	waitForPlatform,
} from '../../source/github/platform-probe.js';
import {
	applyWebhook,
	type HookPlan,
	type HookTarget,
	pingWebhook,
	planWebhook,
	webhookEvents,
	webhookUrlOf,
} from '../../source/github/webhook.js';
import {deleteHooks, ourHooks} from '../../source/github/removal.js';
import {webhookSecretOf} from '../kit-secrets.js';

/** Polling pauses; tests shorten them. */
export type WebhookOptions = {intervalMs?: number; pingDelayMs?: number};

function changesOf(plan: HookPlan, url: string): string[] {
	const hook = {
		create: [`create the webhook → ${url}`],
		update: [`update webhook ${plan.id}: ${plan.reasons.join(', ')}`],
		none:
			plan.lastFailure === undefined
				? []
				: [`webhook ${plan.id}: its last delivery got ${plan.lastFailure}`],
	}[plan.action];
	return [
		...hook,
		...plan.remove.map(
			old => `remove this installation’s old webhook ${old.id} → ${old.url}`,
		),
		'ask GitHub for a ping and check its delivery',
	];
}

const foreignNotes = (plan: HookPlan) =>
	plan.foreign.map(
		hook =>
			`webhook ${hook.id} → ${hook.url} was not made by this installation: kept (delete it in the repository’s webhook settings if nothing uses it)`,
	);

const settled = (plan: HookPlan) =>
	plan.action === 'none' &&
	plan.remove.length === 0 &&
	plan.lastFailure === undefined;

type RepoPlan = {gh: GitHub; plan: HookPlan};

/** Each repository's hook plan, from the records kept in the platform's repository. */
async function planAll(
	context: StepContext,
	target: HookTarget,
): Promise<{plans: RepoPlan[]; records: HookRecords}> {
	const repos = projectRepos(context.github(), context.input);
	const records = await readHookRecords(repos[0]!);
	const plans: RepoPlan[] = [];
	for (const gh of repos) {
		// eslint-disable-next-line no-await-in-loop -- a request or two per repository, in order
		const plan = await planWebhook(gh, target, records.byRepo[slugOf(gh)]);
		plans.push({gh, plan});
	}

	return {plans, records};
}

/** Lines for one repository; the first project's are prefixed with its name. */
function linesOf({gh, plan}: RepoPlan, index: number, url: string) {
	const prefix = index === 0 ? '' : `${slugOf(gh)}: `;
	const lines = settled(plan) ? [] : changesOf(plan, url);
	return {
		changes: lines.map(line => prefix + line),
		notes: foreignNotes(plan).map(line => prefix + line),
	};
}

/**
 * Server mode. The hook is set only once the platform answers at its URL, so GitHub's first
 * delivery (the ping) reaches it: upstream made the hook first and its ping always failed. The
 * secret is the platform's own, kept in the cluster by the platform phase (a given one wins). The
 * first project's repository, when it is another one, gets the same hook.
 */
export function webhookStep(options: WebhookOptions = {}): Step {
	const targetOf = async (context: StepContext) => ({
		url: webhookUrlOf(context.input) ?? '',
		secret: await webhookSecretOf(context),
	});
	return {
		id: 'github.webhook',
		phase: 'github',
		title: 'Repository webhook',
		reach: 'github',
		when: input => input.mode === 'server' && webhookUrlOf(input) !== undefined,
		inputs: input => ({
			url: webhookUrlOf(input),
			firstProject: input.github.firstProjectRepo,
		}),
		runbook: input => ({
			check: [
				`gh api repos/${input.github.repo ?? 'OWNER/REPO'}/hooks --jq '.[] | [.id, .config.url, .last_response.code] | @tsv'`,
				`curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Hub-Signature-256: sha256=0' ${webhookUrlOf(input) ?? 'https://DOMAIN/api/v1/webhooks/github'}   (401: the platform checks signatures)`,
			],
			fix: [
				'a delivery refused with 401: the platform and the repository hold different webhook secrets; run install --only github again',
				'redeliver from Settings → Webhooks → Recent Deliveries once the platform answers',
			],
		}),
		remove: {
			keptUnless: 'github',
			async check(context) {
				const hooks = await ourHooks(context.github());
				return hooks.map(hook => `delete webhook ${hook.id} → ${hook.url}`);
			},
			async apply(context) {
				await deleteHooks(context.github());
			},
		},
		describe: input => [
			`points the webhook of ${projectSlugs(input).join(' and ')} at ${webhookUrlOf(input) ?? 'the platform'} (${webhookEvents.join(', ')}) once the platform answers there`,
			'then asks GitHub for a ping and checks that the platform accepted it',
		],
		async check(context) {
			const {url, secret} = await targetOf(context);
			if (!secret) {
				return {
					kind: 'skipped',
					reason:
						'no webhook secret: the platform phase keeps one in the cluster (run it first); to wire a platform this run cannot reach, give its CODEXK8S_GITHUB_WEBHOOK_SECRET',
				};
			}

			const {plans} = await planAll(context, {url, secret});
			const lines = plans.map((plan, index) => linesOf(plan, index, url));
			const changes = lines.flatMap(line => line.changes);
			const notes = lines.flatMap(line => line.notes);
			if (changes.length === 0) {
				return notes.length > 0
					? {kind: 'done', note: notes.join('\n')}
					: {kind: 'done'};
			}

			const waits = (await platformAnswers(url, context.signal))
				? []
				: [`wait for the platform to answer at ${url}`];
			return {
				kind: plans.some(({plan}) => plan.action === 'create')
					? 'new'
					: 'change',
				changes: [...waits, ...changes, ...notes],
			};
		},
		async apply(context) {
			const {url, secret = ''} = await targetOf(context);
			const {timeouts} = context.input;
			const answers = await waitForPlatform(url, {
				timeoutMs: timeouts.platform * 1000,
				intervalMs: options.intervalMs,
				signal: context.signal,
			});
			if (!answers) {
				throw new UserError(
					`The platform does not answer at ${url} (waited ${timeouts.platform} s)`,
					{
						hint: 'A delivery with a wrong signature must get 401 there. Check that the platform runs and the certificate of the domain is valid, then resume. The webhook is set only once it answers, so GitHub’s first delivery does not fail.',
					},
				);
			}

			const {plans, records} = await planAll(context, {url, secret});
			const done: string[] = [];
			for (const {gh, plan} of plans.filter(({plan}) => !settled(plan))) {
				// eslint-disable-next-line no-await-in-loop -- writes one at a time
				const record = await applyWebhook(gh, plan, {url, secret});
				const slug = slugOf(gh);
				// A ping retried for a failed delivery changes no hook, so no record either.
				if (JSON.stringify(records.byRepo[slug]) !== JSON.stringify(record)) {
					records.byRepo[slug] = record;
					// eslint-disable-next-line no-await-in-loop -- the record first: a ping that fails is then retried, not the hook
					await writeHookRecords(plans[0]!.gh, records);
					records.exists = true;
				}

				// eslint-disable-next-line no-await-in-loop
				done.push(await pinged(gh, record.id, url, options.pingDelayMs));
			}

			return done.join('; ');
		},
	};
}

async function pinged(
	gh: GitHub,
	id: number,
	url: string,
	delayMs?: number,
): Promise<string> {
	const ping = await pingWebhook(gh, id, {delayMs});
	if (!ping.ok) {
		throw new UserError(
			`GitHub’s ping of ${slugOf(gh)} to ${url} got ${ping.statusCode ?? 'no answer'}`,
			{
				hint:
					ping.statusCode === 401
						? 'The platform refused the signature: it runs with another webhook secret than the one given (CODEXK8S_GITHUB_WEBHOOK_SECRET) or kept in its codex-k8s-runtime Secret.'
						: `See the delivery under Settings → Webhooks → ${id} of ${gh.htmlUrl}.`,
			},
		);
	}

	return `${slugOf(gh)} webhook ${id} → ${url}: ping delivered (${ping.statusCode})`;
}

export const githubWebhook = webhookStep();
