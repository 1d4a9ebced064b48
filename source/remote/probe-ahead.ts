import type {ProbeResult, RemoteSession} from './types.js';

/**
 * Read-only snippets that one facts reader sends (as root). Steps name the set their check reads;
 * the planner sends every set of a run together, so a converged phase costs one round trip.
 */
export type ProbeSet = {
	/** Readers with the same set share it: it is sent once. */
	name: string;
	snippets: () => Promise<Record<string, string>>;
};

export type AheadResults = {
	results: Record<string, ProbeResult>;
	/** Local clock around the round trip, for readers that compare clocks. */
	before: number;
	after: number;
};

const batches = new WeakMap<RemoteSession, Map<string, AheadResults>>();

/** Sends all the sets in one round trip; each reader later takes its own results, once. */
export async function probeAhead(
	session: RemoteSession,
	sets: readonly ProbeSet[],
	signal?: AbortSignal,
): Promise<void> {
	const unique = [...new Map(sets.map(set => [set.name, set])).values()];
	if (unique.length === 0) {
		return;
	}

	const probes: Record<string, string> = {};
	for (const set of unique) {
		// eslint-disable-next-line no-await-in-loop -- local file reads, no round trips
		for (const [key, snippet] of Object.entries(await set.snippets())) {
			probes[`${set.name}.${key}`] = snippet;
		}
	}

	const before = Date.now();
	const all = await session.probe(probes, {root: true, signal});
	const after = Date.now();
	const batch = new Map<string, AheadResults>();
	for (const set of unique) {
		const prefix = `${set.name}.`;
		const results = Object.fromEntries(
			Object.entries(all)
				.filter(([key]) => key.startsWith(prefix))
				.map(([key, result]) => [key.slice(prefix.length), result]),
		);
		batch.set(set.name, {results, before, after});
	}

	batches.set(session, batch);
}

/** The results of `name` sent ahead, handed out once: the host may change after they are read. */
export function takeAhead(
	session: RemoteSession,
	name: string,
): AheadResults | undefined {
	const batch = batches.get(session);
	const taken = batch?.get(name);
	batch?.delete(name);
	return taken;
}

/** Results nobody took are dropped once planning ends: later reads must see the host as it is then. */
export function dropAhead(session: RemoteSession): void {
	batches.delete(session);
}
