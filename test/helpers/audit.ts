/**
 * The test cluster's audit log read back: which API calls a user made and how the API server
 * answered, one JSON event a line (Metadata level, written by the API server as it serves).
 */
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import type {PolicyRule} from '../../steps/runner/deploy-access.js';
import {waitFor} from './cluster.js';

export type AuditedCall = {
	verb: string;
	group: string;
	resource: string;
	subresource?: string;
	namespace?: string;
	name?: string;
	code: number;
	/** The authorizer's answer; a 403 with `allow` came from behind the API server (a proxy). */
	decision: 'allow' | 'forbid' | undefined;
};

type AuditEvent = {
	verb: string;
	stage: string;
	user: {username: string};
	objectRef?: {
		apiGroup?: string;
		resource?: string;
		subresource?: string;
		namespace?: string;
		name?: string;
	};
	responseStatus?: {code?: number};
	annotations?: Record<string, string>;
};

async function events(auditLogPath: string): Promise<AuditEvent[]> {
	if (!existsSync(auditLogPath)) {
		return [];
	}

	const text = await readFile(auditLogPath, 'utf8');
	return text
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as AuditEvent);
}

/**
 * Every resource call `user` made, once the API server has logged the call that `isLast` picks
 * (made after the others; calls to paths that name no resource, such as discovery, left out).
 */
export async function auditedCalls(
	auditLogPath: string,
	user: string,
	isLast: (call: AuditedCall) => boolean,
): Promise<AuditedCall[]> {
	return waitFor(
		`the audit log to record the last call of ${user}`,
		async () => {
			const logged = await events(auditLogPath);
			const calls = logged
				.filter(
					event =>
						event.stage === 'ResponseComplete' &&
						event.user.username === user &&
						event.objectRef?.resource !== undefined,
				)
				.map(({verb, objectRef, responseStatus, annotations}) => ({
					verb,
					group: objectRef!.apiGroup ?? '',
					resource: objectRef!.resource!,
					subresource: objectRef!.subresource,
					namespace: objectRef!.namespace,
					name: objectRef!.name,
					code: responseStatus?.code ?? 0,
					decision: annotations?.['authorization.k8s.io/decision'] as
						AuditedCall['decision'] | undefined,
				}));
			return calls.some(call => isLast(call)) ? calls : undefined;
		},
	);
}

export const describeCall = (call: AuditedCall) =>
	`${call.verb} ${call.group}/${call.resource}${call.subresource ? `/${call.subresource}` : ''} ${call.namespace ? `${call.namespace}/` : ''}${call.name ?? '-'} (${call.code})`;

/** One permission a rule grants: a verb on a resource (with its subresource), in a scope. */
export type Grant = {
	verb: string;
	group: string;
	resource: string;
	namespaced: boolean;
	resourceNames?: string[];
};

export const describeGrant = (grant: Grant) =>
	`${grant.verb} ${grant.group}/${grant.resource}${grant.resourceNames ? ` [${grant.resourceNames.join(', ')}]` : ''} (${grant.namespaced ? 'Role' : 'ClusterRole'})`;

/** Each verb × group × resource of the rules, one grant each. */
export function grantsOf(rules: PolicyRule[], namespaced: boolean): Grant[] {
	return rules.flatMap(rule =>
		rule.apiGroups.flatMap(group =>
			rule.resources.flatMap(resource =>
				rule.verbs.map(verb => ({
					verb,
					group,
					resource,
					namespaced,
					...(rule.resourceNames ? {resourceNames: rule.resourceNames} : {}),
				})),
			),
		),
	);
}

/** A Namespace's own path names it as its namespace too; it is a cluster-wide object. */
const namespaced = (call: AuditedCall) =>
	call.namespace !== undefined &&
	!(call.group === '' && call.resource === 'namespaces');

/** Whether the call is one the grant allows. */
export function grantCovers(grant: Grant, call: AuditedCall): boolean {
	const resource = call.subresource
		? `${call.resource}/${call.subresource}`
		: call.resource;
	return (
		grant.verb === call.verb &&
		grant.group === call.group &&
		grant.resource === resource &&
		namespaced(call) === grant.namespaced &&
		(grant.resourceNames === undefined ||
			grant.resourceNames.includes(call.name ?? ''))
	);
}
