import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, normalize} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';

/*
 * The floors of the code, lowest first: a module imports only from its own floor's folder or from
 * below. The phases of steps/ share a floor and never import each other (only the kit). See
 * docs/contributing.md.
 */
const floors: Array<{floor: number; area: string; paths: string[]}> = [
	{
		floor: 0,
		area: 'foundation',
		paths: [
			'package.json',
			'source/errors.ts',
			'source/encode/',
			'source/log.ts',
			'source/wait.ts',
			'source/assets.ts',
			'source/cli-mode.ts',
			'source/pins.ts',
		],
	},
	{floor: 1, area: 'config', paths: ['source/config/']},
	{floor: 2, area: 'local', paths: ['source/local/']},
	{floor: 3, area: 'remote', paths: ['source/remote/']},
	{floor: 3, area: 'github', paths: ['source/github/']},
	{floor: 3, area: 'kube', paths: ['source/kube/']},
	{floor: 4, area: 'engine', paths: ['source/engine/']},
	{
		floor: 5,
		area: 'kit',
		paths: [
			'steps/kit.ts',
			'steps/kit-objects.ts',
			'steps/kit-remove.ts',
			'steps/kit-secrets.ts',
		],
	},
	{floor: 6, area: 'phase', paths: ['steps/']},
	{floor: 7, area: 'registry', paths: ['steps/index.ts']},
	{floor: 8, area: 'report', paths: ['source/report/']},
	{floor: 9, area: 'ui', paths: ['source/ui/']},
	{floor: 10, area: 'commands', paths: ['source/commands/']},
	{floor: 11, area: 'entry', paths: ['source/']},
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function floorOf(file: string): {floor: number; area: string} {
	// The most specific path wins: `steps/kit.ts` before `steps/`.
	const matches = floors
		.flatMap(entry =>
			entry.paths
				.filter(
					path =>
						file === path || (path.endsWith('/') && file.startsWith(path)),
				)
				.map(path => ({...entry, length: path.length})),
		)
		.toSorted((a, b) => b.length - a.length);
	const best = matches[0];
	if (!best) {
		throw new Error(`${file} is on no floor`);
	}

	// Each phase folder is its own area: steps/host/ may not import steps/preflight/.
	return best.area === 'phase'
		? {floor: best.floor, area: file.split('/').slice(0, 2).join('/')}
		: best;
}

function sourceFiles(directory: string): string[] {
	return readdirSync(join(root, directory), {withFileTypes: true}).flatMap(
		entry => {
			const path = `${directory}/${entry.name}`;
			if (entry.isDirectory()) {
				return sourceFiles(path);
			}

			return /\.tsx?$/.test(entry.name) ? [path] : [];
		},
	);
}

type Edge = {from: string; to: string; lazy: boolean};

function importsOf(file: string, known: Set<string>): Edge[] {
	const text = readFileSync(join(root, file), 'utf8');
	const edges: Edge[] = [];
	for (const match of text.matchAll(
		/(?:\bfrom\s*|\bimport\s*(\()?\s*)'(\.{1,2}\/[^']+)'/g,
	)) {
		const target = normalize(join(dirname(file), match[2]!));
		const candidates = [
			target.replace(/\.js$/, '.ts'),
			target.replace(/\.js$/, '.tsx'),
			target,
		];
		const to = candidates.find(candidate => known.has(candidate));
		if (!to) {
			throw new Error(`${file} imports ${match[2]!}, which is no known file`);
		}

		edges.push({from: file, to, lazy: match[1] === '('});
	}

	return edges;
}

function upwardImports(graph: readonly Edge[]): string[] {
	return graph
		.filter(({from, to}) => {
			const source = floorOf(from);
			const target = floorOf(to);
			return (
				target.floor > source.floor ||
				(target.floor === source.floor && target.area !== source.area)
			);
		})
		.map(({from, to}) => `${from} → ${to}`);
}

/** Cycles of eager imports; lazy ones (`import()`, how a command is loaded on demand) aside. */
function cyclesOf(graph: readonly Edge[]): string[] {
	const next = new Map<string, string[]>();
	for (const {from, to, lazy} of graph) {
		if (!lazy) {
			next.set(from, [...(next.get(from) ?? []), to]);
		}
	}

	const cycles: string[] = [];
	const state = new Map<string, 'open' | 'done'>();
	const visit = (file: string, trail: string[]) => {
		if (state.get(file) === 'done') {
			return;
		}

		if (state.get(file) === 'open') {
			cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
			return;
		}

		state.set(file, 'open');
		for (const to of next.get(file) ?? []) {
			visit(to, [...trail, file]);
		}

		state.set(file, 'done');
	};

	for (const file of next.keys()) {
		visit(file, []);
	}

	return cycles;
}

const files = [...sourceFiles('source'), ...sourceFiles('steps')];
const known = new Set([...files, 'package.json']);
const edges = files.flatMap(file => importsOf(file, known));

test('the import graph is read: every module is found, lazy imports too', t => {
	t.true(files.length > 50, `${files.length} files`);
	t.true(edges.length > files.length, `${edges.length} imports`);
	t.true(
		edges.some(edge => edge.lazy),
		'the lazy imports of the command registry are seen',
	);
});

test('no import points up a floor, and no phase imports another phase', t => {
	t.deepEqual(
		upwardImports(edges),
		[],
		'move the type to the floor of its users, or the code to the floor it belongs on',
	);
});

test('no import cycle', t => {
	t.deepEqual(cyclesOf(edges), []);
});

test('the checks find an upward import, a phase importing another, and a cycle', t => {
	const edge = (from: string, to: string, lazy = false): Edge => ({
		from,
		to,
		lazy,
	});
	t.deepEqual(
		upwardImports([
			edge('source/remote/exec.ts', 'source/engine/step.ts'),
			edge('steps/host/firewall.ts', 'steps/preflight/os.ts'),
			edge('steps/host/firewall.ts', 'steps/kit.ts'),
			edge('source/commands/plan.ts', 'steps/index.ts'),
		]),
		[
			'source/remote/exec.ts → source/engine/step.ts',
			'steps/host/firewall.ts → steps/preflight/os.ts',
		],
	);
	t.deepEqual(
		cyclesOf([
			edge('source/engine/a.ts', 'source/engine/b.ts'),
			edge('source/engine/b.ts', 'source/engine/a.ts'),
			edge('source/commands/index.ts', 'source/commands/plan.ts', true),
			edge('source/commands/plan.ts', 'source/commands/index.ts'),
		]),
		['source/engine/a.ts → source/engine/b.ts → source/engine/a.ts'],
	);
});
