import type {Kube} from '../kube/index.js';
import type {ProbeResult, RemoteSession} from '../remote/types.js';

/** What one round trip of read-only snippets returned, with the local clock around it. */
export type Probed = {
	results: Record<string, ProbeResult>;
	/** Local clock around the round trip, for readers that compare clocks. */
	before: number;
	after: number;
};

/**
 * Read-only snippets (sent as root) and how to read their output. Steps name the set their check
 * reads; the planner sends every set of a run together, so a converged phase costs one round trip.
 */
export type ProbeSet<Facts = unknown> = {
	/** Readers with the same set share it: it is sent once. */
	name: string;
	snippets: () => Promise<Record<string, string>>;
	/** The facts, from what the snippets printed and what the session already knows. */
	parse: (probed: Probed, session: RemoteSession) => Facts;
};

/** The facts of one session's host: read once, shared by the steps, forgotten after a change. */
export type FactsReader = {
	/** The set's facts: sent ahead, read before, or one round trip of their own. */
	read<Facts>(set: ProbeSet<Facts>, signal?: AbortSignal): Promise<Facts>;
	/** After a change to the host: the next read looks again. */
	forget(): void;
	/** Sends all the sets in one round trip; each is later taken once. */
	sendAhead(sets: readonly ProbeSet[], signal?: AbortSignal): Promise<void>;
	/** The results of `name` sent ahead, handed out once: the host may change after they are read. */
	take(name: string): Probed | undefined;
	/** Results nobody took are dropped once planning ends: later reads must see the host as it is then. */
	dropAhead(): void;
	/** The set's results, read after a change in the change's own round trip: the next read takes them. */
	seed(name: string, probed: Probed): void;
};

/** The target host as a step sees it: the session, its facts, and a way to prove a new login. */
export type Host = {
	session: RemoteSession;
	facts: FactsReader;
	/** Proves a new SSH login as `user` works, before the current connection is let go. */
	verifyLogin?: (user: string) => Promise<void>;
	/**
	 * The cluster's API on this host: k3s's kubeconfig read as root (one round trip, kept in memory
	 * only), each request on a channel forwarded to the host's 127.0.0.1:6443. Made once; a failed
	 * attempt (k3s not running yet) is tried again on the next call.
	 */
	kube(): Promise<Kube>;
};

async function probe(
	session: RemoteSession,
	snippets: Record<string, string>,
	signal?: AbortSignal,
): Promise<Probed> {
	const before = Date.now();
	const results = await session.probe(snippets, {root: true, signal});
	return {results, before, after: Date.now()};
}

function factsReader(session: RemoteSession): FactsReader {
	let ahead = new Map<string, Probed>();
	const read = new Map<string, Promise<unknown>>();
	const take = (name: string) => {
		const taken = ahead.get(name);
		ahead.delete(name);
		return taken;
	};

	return {
		async read<Facts>(set: ProbeSet<Facts>, signal?: AbortSignal) {
			let facts = read.get(set.name) as Promise<Facts> | undefined;
			if (!facts) {
				const taken = take(set.name);
				const probed = taken
					? Promise.resolve(taken)
					: set
							.snippets()
							.then(async snippets => probe(session, snippets, signal));
				facts = probed.then(result => set.parse(result, session));
				const mine = facts;
				read.set(set.name, mine);
				// A failed read (an interrupted one included) is not remembered: the next step retries.
				mine.catch(() => {
					if (read.get(set.name) === mine) {
						read.delete(set.name);
					}
				});
			}

			return facts;
		},
		forget() {
			read.clear();
			ahead.clear();
		},
		async sendAhead(sets, signal) {
			const unique = [...new Map(sets.map(set => [set.name, set])).values()];
			if (unique.length === 0) {
				return;
			}

			const snippets: Record<string, string> = {};
			for (const set of unique) {
				// eslint-disable-next-line no-await-in-loop -- local file reads, no round trips
				for (const [key, snippet] of Object.entries(await set.snippets())) {
					snippets[`${set.name}.${key}`] = snippet;
				}
			}

			const {results, before, after} = await probe(session, snippets, signal);
			ahead = new Map(
				unique.map(set => {
					const prefix = `${set.name}.`;
					const own: Record<string, ProbeResult> = Object.fromEntries(
						Object.entries(results)
							.filter(([key]) => key.startsWith(prefix))
							.map(([key, result]) => [key.slice(prefix.length), result]),
					);
					return [set.name, {results: own, before, after}];
				}),
			);
		},
		take,
		dropAhead() {
			ahead.clear();
		},
		seed(name, probed) {
			read.delete(name);
			ahead.set(name, probed);
		},
	};
}

/**
 * K3s's admin kubeconfig, read as root. A set of its own, so the planner sends it with every other
 * step's facts: a converged cluster phase reads it in the same round trip.
 */
export const kubeconfigSet: ProbeSet<{text?: string}> = {
	name: 'kubeconfig',
	async snippets() {
		const {k3sKubeconfigPath} = await import('../kube/index.js');
		return {kubeconfig: `cat ${k3sKubeconfigPath}`};
	},
	parse({results}) {
		const {kubeconfig} = results;
		return kubeconfig?.code === 0 ? {text: kubeconfig.output} : {};
	},
};

async function kubeOver(
	session: RemoteSession,
	facts: FactsReader,
): Promise<Kube> {
	const {ClusterNotRunningError, createKube, sshTransport} =
		await import('../kube/index.js');
	const {text} = await facts.read(kubeconfigSet);
	if (text === undefined) {
		throw new ClusterNotRunningError(session.target.alias);
	}

	return createKube(
		sshTransport(
			async port => session.openChannel(port),
			text,
			session.target.alias,
		),
	);
}

/** A host handle for one session: one per session and run, so its facts are shared by the steps. */
export function openHost(
	session: RemoteSession,
	verifyLogin?: (user: string) => Promise<void>,
): Host {
	let kube: Promise<Kube> | undefined;
	const facts = factsReader(session);
	return {
		session,
		facts,
		verifyLogin,
		async kube() {
			if (!kube) {
				const made = kubeOver(session, facts);
				kube = made;
				made.catch(() => {
					if (kube === made) {
						kube = undefined;
					}
				});
			}

			return kube;
		},
	};
}
