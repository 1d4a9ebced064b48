/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text} from 'ink';
import {findingLabel, type Plan, type PlannedStep} from '../engine/plan.js';
import {
	findingStyle,
	groupByPhase,
	headerLine,
	offlineHint,
	summaryParts,
	type PlanHeader,
	type Tone,
} from '../report/plan-summary.js';

export type PlanViewProps = {
	readonly plan: Plan;
	readonly header: PlanHeader;
};

type Detail = {
	key: string;
	text: string;
	bullet?: string;
	tone?: Tone;
	dim?: boolean;
};

const detailsOf = (step: PlannedStep): Detail[] => {
	const {finding} = step;
	const details: Array<Omit<Detail, 'key'>> = [];
	switch (finding.kind) {
		case 'new':
		case 'change': {
			details.push(...finding.changes.map(text => ({text, bullet: '·'})));
			break;
		}

		case 'blocked': {
			details.push({text: finding.problem, tone: 'red'});
			if (finding.hint) {
				details.push(
					...finding.hint.split('\n').map(text => ({text, bullet: '→'})),
				);
			}

			break;
		}

		case 'skipped': {
			details.push({text: finding.reason, dim: true});
			break;
		}

		case 'unknown': {
			const lines =
				step.description.length > 0 ? step.description : [finding.reason];
			details.push(...lines.map(text => ({text, dim: true})));
			break;
		}

		case 'done': {
			if (finding.note) {
				details.push({text: finding.note, dim: true});
			}

			break;
		}
	}

	if (step.inputsChanged) {
		details.push({text: 'inputs changed since the last run', tone: 'yellow'});
	}

	return details.map((detail, index) => ({...detail, key: String(index)}));
};

function DetailLine({detail}: {readonly detail: Detail}) {
	return (
		<Box paddingLeft={4}>
			{detail.bullet ? (
				<Box flexShrink={0} width={2}>
					<Text dimColor>{detail.bullet}</Text>
				</Box>
			) : null}
			<Text wrap="wrap" color={detail.tone} dimColor={detail.dim}>
				{detail.text}
			</Text>
		</Box>
	);
}

function StepLine({step}: {readonly step: PlannedStep}) {
	const {mark, tone} = findingStyle[step.finding.kind];
	return (
		<Box flexDirection="column">
			<Box paddingLeft={2}>
				<Box flexShrink={0} width={2}>
					<Text color={tone}>{mark}</Text>
				</Box>
				<Text wrap="wrap">
					{step.title}
					{'  '}
					<Text color={tone}>{findingLabel(step.finding)}</Text>
				</Text>
			</Box>
			{detailsOf(step).map(detail => (
				<DetailLine key={detail.key} detail={detail} />
			))}
		</Box>
	);
}

/**
 * The plan as the operator reviews it before confirming: steps by phase, what each would do,
 * and a summary. A pure function of its props.
 */
export function PlanView({plan, header}: PlanViewProps) {
	const probed = header.probed ?? plan.probed;
	return (
		<Box flexDirection="column">
			<Text bold wrap="wrap">
				{headerLine(plan, header)}
			</Text>
			{groupByPhase(plan.steps).map(([phase, steps]) => (
				<Box key={phase} flexDirection="column" marginTop={1}>
					<Text bold>{phase}</Text>
					{steps.map(step => (
						<StepLine key={step.id} step={step} />
					))}
				</Box>
			))}
			<Box flexDirection="column" marginTop={1}>
				<Box columnGap={1} flexWrap="wrap">
					{summaryParts(plan).map((part, index, parts) => (
						<Text key={part.kind}>
							<Text
								color={
									part.count > 0 ? findingStyle[part.kind].tone : undefined
								}
							>
								{part.text}
							</Text>
							{index < parts.length - 1 ? ' ·' : ''}
						</Text>
					))}
				</Box>
				{probed ? null : (
					<Text dimColor wrap="wrap">
						{offlineHint}
					</Text>
				)}
			</Box>
		</Box>
	);
}
