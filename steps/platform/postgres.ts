import type {Input} from '../../source/config/schema.js';
import {
	type KubeObject,
	progressLine,
	waitForRollout,
} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {objectsStep} from '../kit-objects.js';
import {platformSecrets} from '../kit-secrets.js';
import {labelsOf, names, ports, selectorOf} from './names.js';

const fromSecret = (name: string, key: string) => ({
	name,
	valueFrom: {secretKeyRef: {name: platformSecrets.postgres, key}},
});

/** PostgreSQL with pgvector (upstream's postgres.yaml, spec step 60 §9), at a pinned image. */
export function postgresObjects(input: Input): KubeObject[] {
	const {namespace} = input.platform;
	const selector = selectorOf('postgres');
	return [
		{
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: {
				name: names.postgresInit,
				namespace,
				labels: labelsOf('postgres'),
			},
			data: {'10-vector.sql': 'CREATE EXTENSION IF NOT EXISTS vector;\n'},
		},
		{
			apiVersion: 'v1',
			kind: 'Service',
			metadata: {name: names.postgres, namespace, labels: labelsOf('postgres')},
			spec: {
				selector,
				ports: [
					{name: 'postgres', port: ports.postgres, targetPort: 'postgres'},
				],
			},
		},
		{
			apiVersion: 'apps/v1',
			kind: 'StatefulSet',
			metadata: {name: names.postgres, namespace, labels: labelsOf('postgres')},
			spec: {
				serviceName: names.postgres,
				replicas: 1,
				selector: {matchLabels: selector},
				template: {
					metadata: {labels: {...labelsOf('postgres'), ...selector}},
					spec: {
						containers: [
							{
								name: 'postgres',
								image: pins.postgresImage,
								ports: [{name: 'postgres', containerPort: ports.postgres}],
								env: [
									fromSecret('POSTGRES_DB', 'CODEXK8S_POSTGRES_DB'),
									fromSecret('POSTGRES_USER', 'CODEXK8S_POSTGRES_USER'),
									fromSecret('POSTGRES_PASSWORD', 'CODEXK8S_POSTGRES_PASSWORD'),
									{name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata'},
								],
								readinessProbe: {
									exec: {
										command: [
											'sh',
											'-c',
											'pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB" -h 127.0.0.1',
										],
									},
									periodSeconds: 5,
									failureThreshold: 6,
								},
								resources: {
									requests: {cpu: '100m', memory: '256Mi'},
									limits: {memory: '1Gi'},
								},
								volumeMounts: [
									{name: 'data', mountPath: '/var/lib/postgresql/data'},
									{
										name: 'init',
										mountPath: '/docker-entrypoint-initdb.d',
										readOnly: true,
									},
								],
							},
						],
						volumes: [{name: 'init', configMap: {name: names.postgresInit}}],
					},
				},
				volumeClaimTemplates: [
					{
						apiVersion: 'v1',
						kind: 'PersistentVolumeClaim',
						metadata: {name: 'data'},
						spec: {
							accessModes: ['ReadWriteOnce'],
							storageClassName: 'local-path',
							resources: {requests: {storage: '20Gi'}},
						},
					},
				],
			},
		},
	];
}

/** `platform.postgres`: the database, waited until `pg_isready` says it takes connections. */
export const platformPostgres = objectsStep({
	id: 'platform.postgres',
	runbook: input => ({
		check: [
			`kubectl -n ${input.platform.namespace} rollout status statefulset/postgres; kubectl -n ${input.platform.namespace} exec postgres-0 -- pg_isready`,
		],
		fix: [
			`kubectl -n ${input.platform.namespace} describe pod postgres-0; kubectl -n ${input.platform.namespace} logs postgres-0`,
			'codex-k8s-install install --only platform',
		],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'PostgreSQL with pgvector',
	inputs: input => postgresObjects(input),
	describe: input => [
		`PostgreSQL (${pins.postgresImage}) as StatefulSet ${input.platform.namespace}/${names.postgres} with a 20Gi local-path volume; the vector extension created on first start`,
		'waited until ready (pg_isready)',
	],
	objects: context => postgresObjects(context.input),
	async ready(kube, context) {
		await waitForRollout(
			kube,
			{
				kind: 'StatefulSet',
				namespace: context.input.platform.namespace,
				name: names.postgres,
			},
			{
				limitMs: context.input.timeouts.rollout * 1000,
				signal: context.signal,
				progress(event) {
					context.output(progressLine(event));
				},
			},
		);
	},
});
