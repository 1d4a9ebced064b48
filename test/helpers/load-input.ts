import {
	readLayers,
	resolveLayers,
	savedLayer,
	type Loaded,
	type ReadOptions,
} from '../../source/config/load.js';
import type {Tree} from '../../source/config/tree.js';

export type LoadOptions = ReadOptions & {
	/** Non-secret answers saved by an earlier run; unknown and secret paths in it are ignored. */
	saved?: Tree;
};

/**
 * The answers as a session resolves them, for tests of the layers alone. Precedence: flags > env >
 * file > saved answers > schema defaults; stdin's token above all.
 */
export function loadInput(options: LoadOptions): Loaded {
	const given = readLayers(options);
	return resolveLayers(
		options.saved ? [savedLayer(options.saved), ...given] : given,
	);
}
