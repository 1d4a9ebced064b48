import {UserError} from '../../source/errors.js';
import type {Step, StepContext} from '../../source/engine/step.js';
import {checkDomain, type DnsVerdict} from '../../source/local/dns.js';
import {sleep} from '../../source/wait.js';
import {formatDuration} from './waiting.js';

export type DnsOptions = {
	/** Where the domain's name servers listen: 53; tests run theirs elsewhere on loopback. */
	authoritativePort?: number;
	pollMs?: number;
};

const domainOf = (context: StepContext) => context.input.domain!;

async function waitForDns(
	context: StepContext,
	{
		authoritativePort,
		pollMs,
	}: Required<Pick<DnsOptions, 'pollMs'>> & DnsOptions,
): Promise<void> {
	const domain = domainOf(context);
	const limitSeconds = context.input.timeouts.dnsWait;
	const deadline = Date.now() + limitSeconds * 1000;
	for (;;) {
		// eslint-disable-next-line no-await-in-loop -- polling: each look depends on the time left
		const verdict = await checkDomain(domain, context.input.connection.host!, {
			resolver: context.input.dnsResolver,
			authoritativePort,
		});
		if (verdict.ok) {
			context.output(verdict.note);
			return;
		}

		const left = (deadline - Date.now()) / 1000;
		if (left <= 0) {
			throw new UserError(`${verdict.problem} (waited ${limitSeconds} s)`, {
				hint: `${verdict.hint}\nWait longer with CODEXK8S_DNS_WAIT_TIMEOUT (timeouts.dnsWait in the config file; now ${limitSeconds} s).`,
			});
		}

		context.output(
			`waiting for DNS: ${verdict.problem}; ${formatDuration(left)} left`,
		);
		// eslint-disable-next-line no-await-in-loop -- see above
		await sleep(Math.min(pollMs, left * 1000), context.signal);
	}
}

/**
 * Server mode: Let's Encrypt reaches the host through the domain, so before anything is installed
 * every A and AAAA record of the domain must name the host. A fresh record may take a while to be
 * visible: the step waits (timeouts.dnsWait) instead of failing at once.
 */
export function dnsStep(options: DnsOptions = {}): Step {
	const pollMs = options.pollMs ?? 10_000;
	const verdictOf = async (context: StepContext): Promise<DnsVerdict> =>
		checkDomain(domainOf(context), context.input.connection.host!, {
			resolver: context.input.dnsResolver,
			authoritativePort: options.authoritativePort,
		});
	return {
		id: 'preflight.dns',
		phase: 'preflight',
		title: 'Domain points at the host',
		// Read when the run probes (it asks DNS), like the checks on the host.
		reach: 'host',
		when: input => input.mode === 'server' && input.domain !== undefined,
		inputs: input => ({
			domain: input.domain,
			host: input.connection.host,
			resolver: input.dnsResolver,
		}),
		runbook: input => ({
			check: [
				`dig +short A ${input.domain ?? 'DOMAIN'}; dig +short AAAA ${input.domain ?? 'DOMAIN'}   (every address must be the host's)`,
			],
			fix: [
				`point the A (and AAAA, or none) records of ${input.domain ?? 'the domain'} at ${input.connection.host ?? 'the host'} at your DNS provider; remove stale AAAA records`,
				'wait for the old records to expire (their TTL), then run again',
			],
		}),
		describe: input => [
			`every A and AAAA record of ${input.domain ?? 'the domain'} names the host, as the domain's own name servers answer (Let's Encrypt asks them); waits up to ${input.timeouts.dnsWait} s for a new record`,
			`the name servers are found through ${input.dnsResolver ?? "this computer's resolver"} (dnsResolver)`,
		],
		async check(context) {
			const verdict = await verdictOf(context);
			if (verdict.ok) {
				return {kind: 'done', note: verdict.note};
			}

			return {
				kind: 'change',
				changes: [`wait for DNS: ${verdict.problem}`],
			};
		},
		async apply(context) {
			await waitForDns(context, {...options, pollMs});
		},
	};
}

export const dns = dnsStep();
