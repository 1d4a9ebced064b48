import type {FlatXoConfig} from 'xo';

const config: FlatXoConfig = [
	{
		ignores: ['dist/**', 'assets/**'],
	},
	{
		prettier: true,
		react: true,
		rules: {
			'react/prop-types': 'off',
			'react/react-in-jsx-scope': 'off',
			'@typescript-eslint/naming-convention': 'off',
			'n/prefer-global/process': 'off',
			'unicorn/no-process-exit': 'off',
		},
	},
];

export default config;
