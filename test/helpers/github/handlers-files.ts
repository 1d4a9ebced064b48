/* eslint-disable @typescript-eslint/no-unsafe-member-access */
// Request bodies reach a handler only after they validated against the OpenAPI description.
import {Buffer} from 'node:buffer';
import {
	type Call,
	type Handler,
	invalid,
	notFound,
	type Reply,
} from './handlers.js';
import {blobSha, sha} from './state.js';

/**
 * Contents, refs and branches (pull requests: handlers-pulls.ts). Files live per branch as `branch:path`; the default
 * branch's files are stored under their bare path.
 */

function key(call: Call, branch: string | undefined, path: string): string {
	return !branch || branch === call.state.defaultBranch
		? path
		: `${branch}:${path}`;
}

function contentFile(
	call: Call,
	path: string,
	content: string,
): Record<string, unknown> {
	const url = `${call.base}/repos/${call.state.owner}/${call.state.name}/contents/${path}`;
	return {
		...call.api.example('content-file'),
		type: 'file',
		encoding: 'base64',
		size: Buffer.byteLength(content),
		name: path.split('/').at(-1),
		path,
		content: Buffer.from(content).toString('base64'),
		sha: blobSha(content),
		url,
		git_url: `${url}?git`,
		html_url: `https://github.com/${call.state.owner}/${call.state.name}/blob/main/${path}`,
		download_url: `${url}?raw`,
		_links: {self: url, git: `${url}?git`, html: `${url}?html`},
	};
}

function ref(call: Call, branch: string): Record<string, unknown> {
	const url = `${call.base}/repos/${call.state.owner}/${call.state.name}/git/refs/heads/${branch}`;
	return {
		ref: `refs/heads/${branch}`,
		node_id: `REF_${branch}`,
		url,
		object: {type: 'commit', sha: call.state.branches.get(branch)!, url},
	};
}

const conflict = (message: string): Reply => ({
	status: 409,
	body: {
		message,
		documentation_url: 'https://docs.github.com/rest',
		status: '409',
	},
});

/** A protected branch, or one a ruleset covers, takes pull requests only: 409, as GitHub. */
const refusesDirectCommits = (call: Call, branch: string): Reply | undefined =>
	call.state.protectedBranches.has(branch) || call.state.rules.has(branch)
		? conflict(
				'Repository rule violations found\n\nChanges must be made through a pull request.',
			)
		: undefined;

export const fileHandlers: Record<string, Handler> = {
	'repos/get-content'(call) {
		const path = call.params['path']!;
		const content = call.state.files.get(
			key(call, call.query.get('ref') ?? undefined, path),
		);
		return content === undefined
			? notFound()
			: {status: 200, body: contentFile(call, path, content)};
	},
	'repos/create-or-update-file-contents'(call) {
		const path = call.params['path']!;
		const branch =
			(call.body.branch as string | undefined) ?? call.state.defaultBranch;
		if (!call.state.branches.has(branch)) {
			return notFound();
		}

		const refused = refusesDirectCommits(call, branch);
		if (refused) {
			return refused;
		}

		const where = key(call, branch, path);
		const existing = call.state.files.get(where);
		if (existing !== undefined && call.body.sha !== blobSha(existing)) {
			return call.body.sha === undefined
				? invalid('Contents', 'sha', 'missing_field', '"sha" wasn\'t supplied.')
				: conflict(`${path} does not match ${String(call.body.sha)}`);
		}

		const content = Buffer.from(String(call.body.content), 'base64').toString(
			'utf8',
		);
		call.state.files.set(where, content);
		const commit = sha(`${branch}:${path}:${content}`);
		call.state.branches.set(branch, commit);
		const example = call.api.example('file-commit') as {
			commit: Record<string, unknown>;
		};
		return {
			status: existing === undefined ? 201 : 200,
			body: {
				content: contentFile(call, path, content),
				commit: {
					...example.commit,
					sha: commit,
					message: call.body.message as string,
				},
			},
		};
	},
	'repos/delete-file'(call) {
		const path = call.params['path']!;
		const branch =
			(call.body.branch as string | undefined) ?? call.state.defaultBranch;
		const where = key(call, branch, path);
		const existing = call.state.files.get(where);
		if (!call.state.branches.has(branch) || existing === undefined) {
			return notFound();
		}

		const refused = refusesDirectCommits(call, branch);
		if (refused) {
			return refused;
		}

		if (call.body.sha !== blobSha(existing)) {
			return conflict(`${path} does not match ${String(call.body.sha)}`);
		}

		call.state.files.delete(where);
		const commit = sha(`${branch}:${path}:deleted`);
		call.state.branches.set(branch, commit);
		const example = call.api.example('file-commit') as {
			commit: Record<string, unknown>;
		};
		return {
			status: 200,
			body: {
				content: null,
				commit: {
					...example.commit,
					sha: commit,
					message: call.body.message as string,
				},
			},
		};
	},
	'repos/get-branch'(call) {
		const name = call.params['branch']!;
		if (!call.state.branches.has(name)) {
			return notFound();
		}

		const example = call.api.example('branch-with-protection');
		return {
			status: 200,
			body: {
				...example,
				name,
				protected: call.state.protectedBranches.has(name),
				protection: {
					enabled: call.state.protectedBranches.has(name),
					required_status_checks: {
						enforcement_level: 'off',
						contexts: [],
						checks: [],
					},
				},
				commit: {
					...(example['commit'] as Record<string, unknown>),
					sha: call.state.branches.get(name),
				},
			},
		};
	},
	'repos/get-branch-rules'(call) {
		if (!call.state.rulesApi) {
			return notFound();
		}

		const types = call.state.rules.get(call.params['branch']!) ?? [];
		return {
			status: 200,
			body: types.map(type => ({
				type,
				ruleset_source_type: 'Repository',
				ruleset_source: `${call.state.owner}/${call.state.name}`,
				ruleset_id: 42,
			})),
		};
	},
	'git/get-ref'(call) {
		const branch = call.params['ref']!.replace(/^heads\//, '');
		if (call.state.branches.size === 0) {
			return {
				status: 409,
				body: {
					message: 'Git Repository is empty.',
					documentation_url: 'https://docs.github.com/rest',
					status: '409',
				},
			};
		}

		return call.state.branches.has(branch)
			? {status: 200, body: ref(call, branch)}
			: notFound();
	},
	'git/create-ref'(call) {
		const branch = String(call.body.ref).replace(/^refs\/heads\//, '');
		if (call.state.branches.has(branch)) {
			return invalid(
				'Reference',
				'ref',
				'already_exists',
				'Reference already exists',
			);
		}

		call.state.branches.set(branch, String(call.body.sha));
		return {status: 201, body: ref(call, branch)};
	},
};
