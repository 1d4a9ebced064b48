import {z} from 'zod';
import {field, localPath} from './field-types.js';

const percent = z.coerce.number().int().min(1).max(100);

const sha256 = z
	.string()
	.regex(/^[\da-f]{64}$/v, 'must be a SHA-256 sum: 64 lower-case hex digits');

/**
 * A systemd OnCalendar= expression: what calendar specs are made of. It reaches a unit file, where
 * `%` is a specifier and `\` an escape, so neither is allowed; `systemd-analyze calendar` on the
 * host is the final judge.
 */
const calendar = z
	.string()
	.max(200)
	.regex(
		/^[\w*:,.\/~+\-]+(?: [\w*:,.\/~+\-]+)*$/v,
		'must be a systemd calendar expression like *-*-* 04:17:00 UTC (letters, digits, * : , . / ~ + - and single spaces)',
	);

export const cluster = z
	.strictObject({
		k3sMove: field(z.enum(['no', 'yes']).default('no'), {
			env: 'CODEXK8S_K3S_MOVE',
			flag: 'k3s-move',
			description:
				'whether an installed k3s of another version is moved to the pinned one (never without yes)',
		}),
		k3sBinary: field(localPath.optional(), {
			env: 'CODEXK8S_K3S_BINARY',
			flag: 'k3s-binary',
			isPath: true,
			description:
				'air-gap: the k3s binary of the pinned release on this computer (k3s, or k3s-arm64)',
		}),
		k3sImages: field(localPath.optional(), {
			env: 'CODEXK8S_K3S_IMAGES',
			flag: 'k3s-images',
			isPath: true,
			description:
				"air-gap: the release's images tarball (k3s-airgap-images-<arch>.tar.zst), listed in the checksum file",
		}),
		k3sInstallScript: field(localPath.optional(), {
			env: 'CODEXK8S_K3S_INSTALL_SCRIPT',
			flag: 'k3s-install-script',
			isPath: true,
			description: "air-gap: k3s's install.sh from the pinned version's tag",
		}),
		k3sChecksums: field(localPath.optional(), {
			env: 'CODEXK8S_K3S_CHECKSUMS',
			flag: 'k3s-checksums',
			isPath: true,
			description:
				"air-gap: the release's sha256sum-<arch>.txt, listing the binary and the images tarball",
		}),
		k3sInstallScriptSha256: field(sha256.optional(), {
			env: 'CODEXK8S_K3S_INSTALL_SCRIPT_SHA256',
			description:
				"SHA-256 the install script must have (default: the installer's pinned sum)",
		}),
		imageGcHigh: field(percent.default(35), {
			env: 'CODEXK8S_K3S_IMAGE_GC_HIGH_THRESHOLD_PERCENT',
			description:
				'disk use (percent) at which the kubelet starts removing unused images',
		}),
		imageGcLow: field(percent.default(30), {
			env: 'CODEXK8S_K3S_IMAGE_GC_LOW_THRESHOLD_PERCENT',
			description:
				'disk use (percent) the kubelet frees down to; lower than the high threshold',
		}),
		imagePrune: field(z.boolean().default(true), {
			env: 'CODEXK8S_K3S_IMAGE_PRUNE_TIMER_ENABLED',
			description: 'prune unused images daily with a systemd timer',
		}),
		imagePruneCalendar: field(calendar.default('*-*-* 04:17:00 UTC'), {
			env: 'CODEXK8S_K3S_IMAGE_PRUNE_ONCALENDAR',
			description: 'when the image prune timer runs (systemd OnCalendar=)',
		}),
	})
	.superRefine((value, context) => {
		if (value.imageGcLow >= value.imageGcHigh) {
			context.addIssue({
				code: 'custom',
				path: ['imageGcLow'],
				message: `must be lower than the high threshold (${value.imageGcHigh})`,
			});
		}
	});
