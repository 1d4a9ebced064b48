import type {Step} from '../../source/engine/step.js';
import {platformIngress, platformTunnel} from './access.js';
import {platformBuild} from './build.js';
import {platformMigrations} from './migrations.js';
import {platformNamespace} from './namespace.js';
import {platformPostgres} from './postgres.js';
import {platformComponents} from './rollout.js';
import {platformSecretsStep} from './secrets.js';

/**
 * The platform phase, in order. `install` runs them all; the deploy workflow's
 * `build --in-cluster` runs the build, `deploy --in-cluster` the rest (source/commands/in-cluster.ts).
 */
export const platformSteps: readonly Step[] = [
	platformNamespace,
	platformSecretsStep,
	platformPostgres,
	platformBuild,
	platformMigrations,
	platformComponents,
	platformIngress,
	platformTunnel,
];

/** The step ids of each in-cluster command. */
export const buildStepIds: readonly string[] = [platformBuild.id];
export const deployStepIds: readonly string[] = platformSteps
	.map(step => step.id)
	.filter(id => id !== platformBuild.id);
