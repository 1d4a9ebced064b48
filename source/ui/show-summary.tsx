import {renderToString} from 'ink';
import {Summary, type SummaryProps} from './Summary.js';

/** The summary drawn once, at the width of the terminal; it stays in the scrollback. */
export function summaryText(
	props: SummaryProps,
	columns: number | undefined,
): string {
	return renderToString(<Summary {...props} />, {columns: columns ?? 80});
}
