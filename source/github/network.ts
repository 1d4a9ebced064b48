import {UnreachableError} from '../errors.js';

/** Why a request to GitHub got no answer, in the user's words. */
export type NetworkProblem = {
	kind: 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'route' | 'other';
	/** Low-level code (`ENOTFOUND`, `DEPTH_ZERO_SELF_SIGNED_CERT` …), for the log and the curious. */
	code: string;
	detail: string;
};

const kinds: Array<[NetworkProblem['kind'], RegExp]> = [
	['dns', /^(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_NODATA|EAI_FAIL)$/],
	['refused', /^ECONNREFUSED$/],
	[
		'timeout',
		/^(?:ETIMEDOUT|TimeoutError|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/,
	],
	[
		'tls',
		/^(?:ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH|EPROTO)/,
	],
	['reset', /^(?:ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/],
	['route', /^(?:ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN)$/],
];

/** The error chain's innermost code: Octokit wraps fetch's TypeError, which wraps the socket's error. */
function codeOf(error: unknown): {code: string; message: string} {
	let found = {code: '', message: ''};
	for (
		let current: unknown = error, depth = 0;
		current instanceof Error && depth < 6;
		current = current.cause, depth++
	) {
		const {code} = current as {code?: unknown};
		if (typeof code === 'string') {
			found = {code, message: current.message};
		} else if (current.name === 'TimeoutError') {
			found = {code: 'TimeoutError', message: current.message};
		} else if (!found.code) {
			found.message = current.message;
		}
	}

	return found;
}

export function networkProblem(error: unknown): NetworkProblem {
	const {code, message} = codeOf(error);
	const kind = kinds.find(([, pattern]) => pattern.test(code))?.[0] ?? 'other';
	return {kind, code: code || 'unknown', detail: message};
}

/** A certificate problem does not go away by asking again; everything else may. */
export const worthRetrying = (problem: NetworkProblem) =>
	problem.kind !== 'tls';

function what(problem: NetworkProblem, host: string, timeoutS: number) {
	const words: Record<NetworkProblem['kind'], string> = {
		dns: `the name ${host} does not resolve (${problem.code})`,
		refused: `the connection to ${host} was refused`,
		timeout: `${host} did not answer within ${timeoutS} s`,
		tls: `the TLS certificate of ${host} was not accepted (${problem.code}: ${problem.detail})`,
		reset: `the connection to ${host} was cut (${problem.code})`,
		route: `there is no network route to ${host} (${problem.code})`,
		other: problem.detail || problem.code,
	};
	return words[problem.kind];
}

function fix(problem: NetworkProblem, apiUrl: string): string {
	const url = `check CODEXK8S_GITHUB_API_URL (now ${apiUrl})`;
	if (problem.kind === 'tls') {
		return `Something between this machine and GitHub presents a certificate Node does not trust — often a proxy that inspects TLS: give its CA with NODE_EXTRA_CA_CERTS=/path/ca.pem, or ${url}.`;
	}

	const proxy =
		'This version connects to GitHub directly: HTTPS_PROXY and HTTP_PROXY are not used, so run it where GitHub is reachable without a proxy.';
	return problem.kind === 'dns'
		? `Check that this machine is online and its DNS works, and ${url}. ${proxy}`
		: `Check this machine’s network (a firewall or VPN may block it) and ${url}. ${proxy}`;
}

/** No answer from GitHub: the network's failure, said with what to check. Nothing was sent. */
export class GitHubUnreachable extends UnreachableError {
	override name = 'GitHubUnreachable';
	readonly problem: NetworkProblem;

	constructor(
		error: unknown,
		{
			apiUrl,
			timeoutS,
			attempts,
		}: {apiUrl: string; timeoutS: number; attempts: number},
	) {
		const problem = networkProblem(error);
		const host = hostOf(apiUrl);
		super(
			`GitHub could not be reached: ${what(problem, host, timeoutS)}${attempts > 1 ? ` (${attempts} tries)` : ''}`,
			{hint: fix(problem, apiUrl), cause: error},
		);
		this.problem = problem;
	}
}

export function hostOf(apiUrl: string): string {
	try {
		return new URL(apiUrl).host;
	} catch {
		return apiUrl;
	}
}

/** The short words for a retry notice: "connection refused", "no answer within 30 s" … */
export function shortProblem(problem: NetworkProblem): string {
	return {
		dns: 'name does not resolve',
		refused: 'connection refused',
		timeout: 'no answer in time',
		tls: 'certificate not accepted',
		reset: 'connection cut',
		route: 'no route',
		other: problem.code,
	}[problem.kind];
}
