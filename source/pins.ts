/**
 * Every version the installer pins, in one place: what it puts on the host and in the cluster.
 * `plan` shows them; docs/cluster.md says how each was chosen and how to move it. Never "latest".
 */
export const pins = {} as const;
