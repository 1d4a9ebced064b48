/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import type {ProbeReport} from '../../github/probe.js';
import type {DnsVerdict} from '../../local/dns.js';

const statusMark = {present: '✔', missing: '✖', unknown: '?'} as const;
const statusColor = {
	present: 'green',
	missing: 'red',
	unknown: 'yellow',
} as const;

/** The token probe as a table: one line per permission, what is missing in red. */
export function PermissionTable({report}: {readonly report: ProbeReport}) {
	if (report.fatal) {
		return <Text color="red">✖ {report.fatal}</Text>;
	}

	const missing = report.rows.filter(row => row.status === 'missing');
	return (
		<Box flexDirection="column">
			<Text dimColor>
				{report.kind} token{report.login ? ` of ${report.login}` : ''}
				{report.expiresAt ? `, expires ${report.expiresAt}` : ''}
			</Text>
			{report.rows.map(row => (
				<Text key={row.permission}>
					<Text color={statusColor[row.status]}>{statusMark[row.status]}</Text>{' '}
					{row.label} ({row.level})
					{row.status === 'present' ? '' : ` — ${row.reason}`}
				</Text>
			))}
			{missing.length > 0 && (
				<Text color="red">
					Add to the token:{' '}
					{missing.map(row => `${row.label} (${row.level})`).join(', ')}
				</Text>
			)}
		</Box>
	);
}

export function DnsLine({verdict}: {readonly verdict: DnsVerdict}) {
	return verdict.ok ? (
		<Text color="green">✔ {verdict.note}</Text>
	) : (
		<Box flexDirection="column">
			<Text color="red">✖ {verdict.problem}</Text>
			<Text dimColor>→ {verdict.hint}</Text>
			<Text dimColor>
				The install waits for DNS before it changes anything, so you may go on.
			</Text>
		</Box>
	);
}

/** A check that could not be made (GitHub not reachable …): what happened and what to do. */
export function CheckFailed({
	message,
	hint,
}: {
	readonly message: string;
	readonly hint?: string;
}) {
	return (
		<Box flexDirection="column">
			<Text color="red">✖ {message}</Text>
			{hint ? <Text dimColor>→ {hint}</Text> : null}
		</Box>
	);
}

/** While a check runs: what it waits for and, after the first second, for how long. */
export function Checking({now = Date.now}: {readonly now?: () => number}) {
	const [seconds, setSeconds] = useState(0);
	useEffect(() => {
		const startedAt = now();
		const timer = setInterval(() => {
			setSeconds(Math.floor((now() - startedAt) / 1000));
		}, 250);
		return () => {
			clearInterval(timer);
		};
	}, [now]);
	return <Text dimColor>checking…{seconds > 0 ? ` ${seconds} s` : ''}</Text>;
}

/** The token check's result: the table, and what is wrong for the review screen. */
export function permissionCheck(report: ProbeReport) {
	const missing = report.rows.filter(row => row.status === 'missing');
	return {
		view: <PermissionTable report={report} />,
		problem:
			report.fatal ??
			(missing.length > 0
				? `the token lacks ${missing.map(row => `${row.label} (${row.level})`).join(', ')}`
				: undefined),
	};
}

/** The DNS check's result: the verdict, and its problem for the review screen. */
export const dnsCheck = (verdict: DnsVerdict) => ({
	view: <DnsLine verdict={verdict} />,
	problem: verdict.ok ? undefined : verdict.problem,
});

/** A check that could not be made: shown as what it is, and repeated on the review screen. */
export const checkFailed = (error: {message: string; hint?: string}) => ({
	view: <CheckFailed message={error.message} hint={error.hint} />,
	problem: error.message,
});
