import type {FlatXoConfig} from 'xo';

const config: FlatXoConfig = [
	{
		ignores: ['dist/**', 'assets/**'],
	},
	{
		prettier: true,
		semicolon: true,
		space: false,
		react: true,
		rules: {
			'react/prop-types': 'off',
			'react/react-in-jsx-scope': 'off',
			'@typescript-eslint/naming-convention': 'off',
			'n/prefer-global/process': 'off',
			'unicorn/no-process-exit': 'off',
			// Narrowing caught errors to NodeJS.ErrnoException is the idiom for fs codes.
			'@typescript-eslint/no-unsafe-type-assertion': 'off',
			// The `v` flag adds nothing to the ASCII patterns used here.
			'require-unicode-regexp': 'off',
			// File modes are bit masks.
			'no-bitwise': 'off',
			// Lint runs with zero warnings: these two are errors, not warnings.
			'max-params': ['error', 4],
			complexity: ['error', 20],
			// Fights prettier over empty bodies (`on() {}`), and prettier owns formatting.
			'@stylistic/curly-newline': 'off',
		},
	},
	{
		files: ['test/**'],
		rules: {
			// Callbacks that push into arrays are the clearest way to record events in a test.
			'@typescript-eslint/strict-void-return': 'off',
			'@typescript-eslint/no-empty-function': 'off',
			// The interrupt owner takes a process-like emitter; tests pass one.
			'unicorn/prefer-event-target': 'off',
		},
	},
];

export default config;
