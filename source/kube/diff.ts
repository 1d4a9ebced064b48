/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-member-access -- a diff walks any JSON */
/** Fields the API server keeps for itself: a diff of them says nothing about our change. */
const serverMetadata = new Set([
	'managedFields',
	'resourceVersion',
	'generation',
	'creationTimestamp',
	'uid',
	'selfLink',
]);

function withoutServerFields(object: any): any {
	if (typeof object !== 'object' || object === null) {
		return {};
	}

	const {status: _status, metadata = {}, ...rest} = object;
	const kept = Object.fromEntries(
		Object.entries(metadata).filter(([key]) => !serverMetadata.has(key)),
	);
	return {...rest, metadata: kept};
}

const isNamedList = (value: unknown): value is Array<{name: string}> =>
	Array.isArray(value) &&
	value.length > 0 &&
	value.every(
		item =>
			typeof item === 'object' &&
			item !== null &&
			typeof item.name === 'string',
	);

function shown(value: unknown, hidden: boolean): string {
	if (value === undefined) {
		return '(none)';
	}

	if (hidden) {
		return '(hidden)';
	}

	const text = JSON.stringify(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

type Walk = {hidden: (path: string) => boolean; out: string[]};

function walk(
	before: unknown,
	after: unknown,
	path: string,
	walked: Walk,
): void {
	if (isNamedList(before) || isNamedList(after)) {
		const keyed = (list: unknown) =>
			new Map(
				(isNamedList(list) ? list : []).map(item => [item.name, item] as const),
			);
		const a = keyed(before);
		const b = keyed(after);
		for (const name of new Set([...a.keys(), ...b.keys()])) {
			walk(a.get(name), b.get(name), `${path}[${name}]`, walked);
		}

		return;
	}

	const isMap = (value: unknown) =>
		typeof value === 'object' && value !== null && !Array.isArray(value);
	if (isMap(before) && isMap(after)) {
		const a = before as Record<string, unknown>;
		const b = after as Record<string, unknown>;
		for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
			walk(a[key], b[key], path ? `${path}.${key}` : key, walked);
		}

		return;
	}

	if (JSON.stringify(before) !== JSON.stringify(after)) {
		const secret = walked.hidden(path);
		walked.out.push(
			`${path}: ${shown(before, secret)} → ${shown(after, secret)}`,
		);
	}
}

/**
 * The field paths that differ between the live object and what it would become, like
 * `kubectl diff`: `spec.template.spec.containers[web].image: "a" → "b"`. Status and the fields
 * the server keeps for itself are left out; a Secret's values are never shown.
 */
export function diffObjects(live: unknown, wouldBe: unknown): string[] {
	const out: string[] = [];
	const secret = (wouldBe as {kind?: string} | undefined)?.kind === 'Secret';
	walk(withoutServerFields(live), withoutServerFields(wouldBe), '', {
		hidden: path => secret && /^(data|stringData)\b/.test(path),
		out,
	});
	return out;
}
