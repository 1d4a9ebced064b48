import test, {type ExecutionContext} from 'ava';
import {inputSchema} from '../../source/config/schema.js';
import {createLogger} from '../../source/log.js';
import {createGitHub} from '../../source/github/client.js';
import {GitHubUnreachable} from '../../source/github/network.js';
import {
	refusedUrl,
	selfSignedServer,
	silentServer,
	unresolvableUrl,
} from '../helpers/network-faults.js';

/*
GitHub not reachable, for real and on this machine: each failure is a user error in its own
words (no "this is a bug", no stack), retried with a line per retry where asking again can help,
and a run's later requests fail at once instead of waiting through the retries again.
*/

function client(apiUrl: string) {
	const input = inputSchema.parse({
		mode: 'local',
		github: {repo: 'acme/platform', token: 'github_pat_x', apiUrl},
		timeouts: {githubRequest: 1},
	});
	const gh = createGitHub(input, createLogger(), {retryDelaysMs: [10, 10, 10]});
	const lines: string[] = [];
	gh.listener.notify = line => {
		lines.push(line);
	};

	return {gh, lines};
}

async function unreachable(t: ExecutionContext, apiUrl: string) {
	const {gh, lines} = client(apiUrl);
	const error = await t.throwsAsync(gh.api.users.getAuthenticated(), {
		instanceOf: GitHubUnreachable,
	});
	return {error, lines, gh};
}

test('a refused connection: said so, retried three times with a line each', async t => {
	const url = await refusedUrl();
	const {error, lines} = await unreachable(t, url);
	const {host} = new URL(url);
	t.is(
		error.message,
		`GitHub could not be reached: the connection to ${host} was refused (4 tries)`,
	);
	t.regex(
		error.hint!,
		/CODEXK8S_GITHUB_API_URL \(now http:\/\/127\.0\.0\.1:\d+\)/,
	);
	t.regex(error.hint!, /HTTPS_PROXY/);
	t.deepEqual(lines, [
		'GitHub unreachable (connection refused), retry 1/3 in 10 ms',
		'GitHub unreachable (connection refused), retry 2/3 in 10 ms',
		'GitHub unreachable (connection refused), retry 3/3 in 10 ms',
	]);
});

test('a name that does not resolve: the name is given, and DNS is what to check', async t => {
	const {error} = await unreachable(t, unresolvableUrl);
	t.regex(
		error.message,
		/^GitHub could not be reached: the name api\.github-stand-in\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\) \(4 tries\)$/,
	);
	t.regex(error.hint!, /DNS/);
});

test('a certificate nobody signed: a TLS error, not retried, with the CA fix', async t => {
	const server = await selfSignedServer();
	t.teardown(server.close);
	const {error, lines} = await unreachable(t, server.url);
	t.regex(
		error.message,
		/^GitHub could not be reached: the TLS certificate of 127\.0\.0\.1:\d+ was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID): /,
	);
	t.regex(error.hint!, /NODE_EXTRA_CA_CERTS/);
	t.deepEqual(lines, [], 'asking again does not change a certificate');
});

test('a server that never answers: the request times out, and later requests of the run fail at once', async t => {
	const server = await silentServer();
	t.teardown(server.close);
	const {error, gh} = await unreachable(t, server.url);
	t.regex(
		error.message,
		/^GitHub could not be reached: 127\.0\.0\.1:\d+ did not answer within 1 s \(4 tries\)$/,
	);
	t.is(server.requests(), 4);
	const again = await t.throwsAsync(
		gh.api.repos.get({owner: 'acme', repo: 'platform'}),
	);
	t.is(again, error, 'the same finding, without asking again');
	t.is(server.requests(), 4);
});
