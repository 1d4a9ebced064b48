/* eslint-disable @typescript-eslint/no-unsafe-member-access */
// Request bodies reach a handler only after they validated against the OpenAPI description.
import {deliver} from './deliveries.js';
import {type Call, type Handler, notFound, repoUrl} from './handlers.js';
import type {StoredHook} from './state.js';

/** Webhooks and their deliveries. */

function hookBody(call: Call, hook: StoredHook): Record<string, unknown> {
	const url = `${repoUrl(call)}/hooks/${hook.id}`;
	const config: Record<string, string> = {
		url: hook.config.url,
		content_type: hook.config.content_type,
		insecure_ssl: hook.config.insecure_ssl,
	};
	if (hook.config.secret !== undefined) {
		config['secret'] = '********';
	}

	const last = call.state.deliveries.findLast(
		delivery => delivery.hookId === hook.id,
	);
	return {
		...call.api.example('hook'),
		id: hook.id,
		name: 'web',
		active: hook.active,
		events: hook.events,
		config,
		created_at: hook.createdAt,
		updated_at: hook.updatedAt,
		url,
		test_url: `${url}/test`,
		ping_url: `${url}/pings`,
		deliveries_url: `${url}/deliveries`,
		last_response: last
			? {
					code: last.statusCode,
					status: last.statusCode < 300 ? 'active' : 'failed',
					message: null,
				}
			: {code: null, status: 'unused', message: null},
	};
}

function findHook(call: Call): StoredHook | undefined {
	return call.state.hooks.find(
		hook => hook.id === Number(call.params['hook_id']),
	);
}

export const hookHandlers: Record<string, Handler> = {
	'repos/list-webhooks': call => ({
		status: 200,
		body: call.state.hooks.map(hook => hookBody(call, hook)),
	}),
	'repos/create-webhook'(call) {
		const config = call.body.config as StoredHook['config'];
		const hook: StoredHook = {
			id: call.state.nextId++,
			active: (call.body.active as boolean | undefined) ?? true,
			events: (call.body.events as string[] | undefined) ?? ['push'],
			config: {
				url: config.url,
				content_type: config.content_type ?? 'form',
				insecure_ssl: String(config.insecure_ssl ?? '0'),
				secret: config.secret,
			},
			createdAt: call.now,
			updatedAt: call.now,
		};
		call.state.hooks.push(hook);
		return {status: 201, body: hookBody(call, hook)};
	},
	'repos/update-webhook'(call) {
		const hook = findHook(call);
		if (!hook) {
			return notFound();
		}

		const config = call.body.config as
			Partial<StoredHook['config']> | undefined;
		if (config) {
			hook.config = {
				...hook.config,
				...config,
				insecure_ssl: String(config.insecure_ssl ?? hook.config.insecure_ssl),
			};
		}

		hook.events = (call.body.events as string[] | undefined) ?? hook.events;
		hook.active = (call.body.active as boolean | undefined) ?? hook.active;
		hook.updatedAt = call.now;
		return {status: 200, body: hookBody(call, hook)};
	},
	'repos/delete-webhook'(call) {
		const hook = findHook(call);
		if (!hook) {
			return notFound();
		}

		call.state.hooks = call.state.hooks.filter(item => item !== hook);
		return {status: 204};
	},
	'repos/ping-webhook'(call) {
		const hook = findHook(call);
		if (!hook) {
			return notFound();
		}

		// GitHub answers at once and delivers afterwards.
		void deliver(call.state, hook, 'ping', {
			zen: 'Keep it logically awesome.',
			hook_id: hook.id,
		});
		return {status: 204};
	},
	'repos/list-webhook-deliveries'(call) {
		const hookId = Number(call.params['hook_id']);
		const base = (
			call.api.example('hook-delivery-items') as unknown as Array<
				Record<string, unknown>
			>
		)[0]!;
		return {
			status: 200,
			body: call.state.deliveries
				.filter(delivery => delivery.hookId === hookId)
				.toReversed()
				.map(delivery => ({
					...base,
					id: delivery.id,
					event: delivery.event,
					action: null,
					status_code: delivery.statusCode,
					status:
						delivery.statusCode === 0
							? 'failed to connect to host'
							: delivery.statusCode < 300
								? 'OK'
								: 'Invalid HTTP Response: ' + String(delivery.statusCode),
					delivered_at: delivery.deliveredAt,
					redelivery: false,
				})),
		};
	},
};
