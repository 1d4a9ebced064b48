import {getPath, type Tree} from './tree.js';

/** One source of answers. Layers are merged lowest precedence first. */
export type Layer = {
	/** `environment`, `command line`, `config file /path`, `saved answers`, `standard input`. */
	origin: string;
	values: Tree;
	/** Per field path, the exact variable, flag or key that gave it: `CODEXK8S_SSH_PORT`. */
	sources?: Record<string, string>;
};

/** `environment (CODEXK8S_SSH_PORT)`: the layer, and where in it, a field's value came from. */
export function originOf(layer: Layer, path: string): string {
	const source = layer.sources?.[path];
	return source ? `${layer.origin} (${source})` : layer.origin;
}

/** The layer whose value for `path` wins: the last one that has it. */
export const winningLayer = (
	layers: readonly Layer[],
	path: string,
): Layer | undefined =>
	layers.findLast(layer => getPath(layer.values, path) !== undefined);
