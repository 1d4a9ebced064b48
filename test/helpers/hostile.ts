import {fields} from '../../source/config/fields.js';

/**
 * Hostile values for every free-text input, each one a command that leaves a marker file if any
 * shell, apt hook or config parser ever runs it. `${IFS}` instead of spaces, so that rules
 * refusing spaces do not hide the rest.
 */
export function hostilePayloads(marker: string) {
	const touch = `touch\${IFS}${marker}`;
	return {
		'double quote': `x";${touch};"`,
		'single quote': `x';${touch};'`,
		semicolon: `x;${touch}`,
		'command substitution': `$(${touch})`,
		backticks: `\`${touch}\``,
		newline: `x\n${touch}`,
		NUL: `x\0${touch}`,
		'very long': `${'a'.repeat(10_000)};${touch}`,
		'non-ASCII': `zürich-${touch}`,
	};
}

export type PayloadName = keyof ReturnType<typeof hostilePayloads>;

/** Inputs a person types as text (not numbers, switches or choices): every one gets a row. */
export const freeTextFields = fields.filter(
	field => field.kind === 'string' || field.kind === 'list',
);
