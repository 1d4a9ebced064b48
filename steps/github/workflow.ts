import type {Step} from '../../source/engine/step.js';
import {takesPullRequestsOnly} from '../../source/github/branch.js';
import {installerVersion} from '../../source/github/context.js';
import {
	openWorkflowPull,
	readWorkflow,
	writeWorkflow,
} from '../../source/github/files.js';
import {deleteWorkflow, workflowFile} from '../../source/github/removal.js';
import {renderWorkflow, workflowPath} from '../../source/github/workflow.js';

export const githubWorkflow: Step = {
	id: 'github.workflow',
	phase: 'github',
	title: 'Deploy workflow',
	reach: 'github',
	inputs: input => ({
		runner: input.runner.scaleSetName,
		branch: input.platform.baseBranch,
		mode: input.mode,
	}),
	runbook: input => ({
		check: [
			`gh api repos/${input.github.repo ?? 'OWNER/REPO'}/contents/${workflowPath}?ref=${input.platform.baseBranch} --jq .name`,
			`gh pr list --repo ${input.github.repo ?? 'OWNER/REPO'} --search 'codex-k8s-install in:title'   (when the branch takes pull requests only)`,
		],
		fix: [
			'merge the pull request the installer opened, or delete a locally changed workflow file and run install --only github again',
		],
	}),
	remove: {
		keptUnless: 'github',
		async check(context) {
			const gh = context.github();
			const branch = context.input.platform.baseBranch;
			const file = await workflowFile(gh, branch);
			const kept = (why: string) => {
				context.output(`${workflowPath} on ${branch} kept: ${why}`);
				return [];
			};

			if (!file) {
				return [];
			}

			if (!file.ours) {
				return kept(
					'it lacks the installer’s marker line (someone else’s file)',
				);
			}

			return (await takesPullRequestsOnly(gh, branch))
				? kept('the branch takes pull requests only; delete the file in one')
				: [
						`delete ${workflowPath} from ${branch} (a commit; the history keeps it)`,
					];
		},
		async apply(context) {
			await deleteWorkflow(context.github(), {
				branch: context.input.platform.baseBranch,
				version: installerVersion,
			});
		},
	},
	describe: input => [
		`${workflowPath}: on push to ${input.platform.baseBranch} and by hand, build → deploy → smoke on runner ${input.runner.scaleSetName}`,
		'committed when the branch allows it, otherwise proposed as a pull request; a locally changed file is never replaced silently',
	],
	async check(context) {
		const branch = context.input.platform.baseBranch;
		const state = await readWorkflow(
			context.github(),
			renderWorkflow(context.input, installerVersion),
			branch,
		);
		if (state.kind === 'same') {
			return {kind: 'done'};
		}

		// A branch that only takes pull requests: the one already proposed is all that can be done.
		const pull =
			state.kind === 'absent' || state.ours
				? await openWorkflowPull(context.github(), {
						wanted: renderWorkflow(context.input, installerVersion),
						version: installerVersion,
					})
				: undefined;
		if (pull?.same) {
			return {
				kind: 'done',
				note: `waiting for pull request #${pull.number} to be merged: ${pull.url}`,
			};
		}

		if (state.kind === 'absent') {
			return {kind: 'new', changes: [`add ${workflowPath}`]};
		}

		if (!state.ours) {
			return {
				kind: 'blocked',
				problem: `${workflowPath} on ${branch} was changed outside the installer`,
				hint: [
					'Merge these differences into the file by hand, or delete it to let the installer write it again:',
					...state.diff,
				].join('\n'),
			};
		}

		return {kind: 'change', changes: [`update ${workflowPath}`, ...state.diff]};
	},
	async apply(context) {
		const gh = context.github();
		const branch = context.input.platform.baseBranch;
		const content = renderWorkflow(context.input, installerVersion);
		const state = await readWorkflow(gh, content, branch);
		if (state.kind === 'same' || (state.kind === 'differs' && !state.ours)) {
			return;
		}

		const result = await writeWorkflow(gh, {
			content,
			branch,
			previousSha: state.kind === 'differs' ? state.sha : undefined,
			version: installerVersion,
		});
		context.output(
			result.kind === 'committed'
				? `committed ${workflowPath} (${result.sha.slice(0, 7)})`
				: `opened pull request ${result.url}`,
		);
	},
};
