/* eslint-disable @typescript-eslint/no-unsafe-member-access */
// Request bodies reach a handler only after they validated against the OpenAPI description.
import type {Call, Handler} from './handlers.js';

/** Pull requests: the installer's proposal of the workflow on a branch that takes no commits. */

export const pullHandlers: Record<string, Handler> = {
	'pulls/list'(call) {
		const head = call.query.get('head')?.split(':').at(-1);
		return {
			status: 200,
			body: call.state.pulls
				.filter(pull => !head || pull.head === head)
				.map(pull => pullBody(call, pull.number)),
		};
	},
	'pulls/create'(call) {
		const number = call.state.pulls.length + 1;
		call.state.pulls.push({
			number,
			head: String(call.body.head),
			base: String(call.body.base),
			title: String(call.body.title),
		});
		return {status: 201, body: pullBody(call, number)};
	},
};

function pullBody(call: Call, number: number): Record<string, unknown> {
	const pull = call.state.pulls[number - 1]!;
	const example = call.api.example('pull-request');
	const slug = `${call.state.owner}/${call.state.name}`;
	return {
		...example,
		number,
		title: pull.title,
		state: 'open',
		requested_teams: [],
		requested_reviewers: [],
		html_url: `https://github.com/${slug}/pull/${number}`,
		head: {...(example['head'] as Record<string, unknown>), ref: pull.head},
		base: {...(example['base'] as Record<string, unknown>), ref: pull.base},
	};
}
