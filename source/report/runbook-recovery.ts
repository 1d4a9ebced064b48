import type {Input} from '../config/schema.js';

/** A section of the runbook: its heading is the name UserErrors and status checks point at. */
export type RunbookSection = {title: string; lines: string[]};

/**
 * The names of the recovery sections. UserErrors name them in `runbookSection`, status checks on
 * failure; a test proves every name used in the code is a heading of the rendered runbook.
 */
export const recoveryTitles = {
	connecting: 'Connecting to the host',
	privileges: 'Privileges on the host',
	lostSsh: 'Lost SSH access',
	cluster: 'The cluster and the platform',
	token: 'GitHub token expired or refused',
	certificates: 'Certificate failures',
	runners: 'Stuck runners',
	database: 'Database restore basics',
	uninstall: 'Removing the installation',
} as const;

const hostOf = (input: Input) => input.connection.host ?? 'HOST';
const repoOf = (input: Input) => input.github.repo ?? 'OWNER/REPO';
const code = (lines: string[]) => ['```sh', ...lines, '```'];

/** The recovery sections, with this installation's names in every command. */
export function recoverySections(input: Input): RunbookSection[] {
	const host = hostOf(input);
	const {user} = input.operator;
	const ns = input.platform.namespace;
	const runnerNs = input.runner.namespace;
	const scaleSet = input.runner.scaleSetName;
	const domain = input.domain ?? 'DOMAIN';
	return [
		{
			title: recoveryTitles.connecting,
			lines: [
				'The installer cannot reach or log in to the host.',
				...code([
					`nc -vz -w 5 ${host} ${input.connection.port ?? 22}   # the port answers`,
					`ssh -v ${input.connection.user ?? 'root'}@${host} true   # which keys are offered, which is refused`,
					'codex-k8s-install doctor   # SSH, host key, sudo, token and DNS in one read-only pass',
				]),
				'A changed host key stops everything: compare it with the provider console before `ssh-keygen -R`.',
			],
		},
		{
			title: recoveryTitles.privileges,
			lines: [
				'The login user needs root: log in as root, or give it sudo. A sudo password is asked once and sent on stdin.',
				...code([
					`ssh ${input.connection.user ?? 'root'}@${host} sudo -n true`,
				]),
			],
		},
		{
			title: recoveryTitles.lostSsh,
			lines: [
				'The SSH hardening and the firewall prove a new login before they are kept, and roll back by themselves (120 s) when the proof never comes. If you are locked out anyway, use the provider’s web console (or rescue system):',
				...code([
					'sudo rm /etc/ssh/sshd_config.d/00-codex-k8s-install.conf && sudo systemctl reload ssh',
					'sudo systemctl disable --now codex-k8s-install-firewall.service; sudo nft delete table inet codex_k8s_install',
					`sudo fail2ban-client set sshd unbanip YOUR_ADDRESS`,
					`sudo -u ${user} sh -c 'cat >> ~/.ssh/authorized_keys' < your_key.pub`,
				]),
				'Then run `codex-k8s-install install` again: it puts the drop-in and the firewall back, proving a new login first.',
			],
		},
		{
			title: recoveryTitles.cluster,
			lines: [
				`On the host as ${user} (k3s's kubeconfig is copied to ~/.kube/config):`,
				...code([
					'kubectl get nodes -o wide; sudo systemctl status k3s; sudo journalctl -u k3s --since -15min',
					`kubectl -n ${ns} get pods,deploy,statefulset,job`,
					`kubectl -n ${ns} describe pod POD; kubectl -n ${ns} logs POD --previous   # a pod that restarts`,
					`kubectl -n ${ns} get job codex-k8s-migrate -o yaml; kubectl -n ${ns} logs job/codex-k8s-migrate`,
					`kubectl get --raw '/api/v1/namespaces/${ns}/services/codex-k8s:80/proxy/readyz'`,
				]),
				`\`codex-k8s-install install --only cluster,platform\` puts back what is missing; the deploy workflow's next run redeploys the platform.`,
			],
		},
		{
			title: recoveryTitles.token,
			lines: [
				'The installer uses the GitHub token from this computer only; it is never stored on the host or in the state. The runner’s own registration token lives in a Secret of the runner namespace.',
				...code([
					'codex-k8s-install doctor --token-stdin < new-token.txt   # which permissions it has',
					'codex-k8s-install install --only runner,github --token-stdin < new-token.txt',
					`kubectl -n ${runnerNs} get secrets   # the runner's token Secret, replaced by the run above`,
				]),
				`A fine-grained token answers 404 where it lacks access to ${repoOf(input)}; docs/github-token.md lists what it needs.`,
			],
		},
		{
			title: recoveryTitles.certificates,
			lines:
				input.mode === 'server'
					? [
							`Let's Encrypt issues the certificate for ${domain} through an HTTP-01 challenge on port 80.`,
							...code([
								'kubectl get certificate,certificaterequest,order,challenge -A',
								`kubectl -n ${ns} describe certificate codex-k8s-staging-tls`,
								`dig +short A ${domain}; curl -sI http://${domain}/.well-known/acme-challenge/test`,
								`kubectl -n ${ns} delete secret codex-k8s-staging-tls   # forces a new certificate (mind the rate limits)`,
							]),
							'Usual causes: the domain points elsewhere (a stale AAAA record), port 80 closed, or the rate limit of Let’s Encrypt after many reinstalls.',
						]
					: [
							'Local mode serves no public certificate: the platform is reached through the documented local access path. Nothing to recover here.',
						],
		},
		{
			title: recoveryTitles.runners,
			lines: [
				`Jobs wait with "Waiting for a runner to pick up this job" when no runner of ${scaleSet} is online.`,
				...code([
					`gh api repos/${repoOf(input)}/actions/runners --jq '.runners[] | [.name, .status] | @tsv'`,
					`kubectl -n ${runnerNs} get autoscalingrunnersets,ephemeralrunners,pods`,
					`kubectl -n ${runnerNs} logs -l app.kubernetes.io/component=runner-scale-set-listener --tail=50`,
					`kubectl -n ${runnerNs} delete ephemeralrunners --all   # ARC makes fresh ones`,
					'codex-k8s-install install --only runner   # puts the scale set back as planned',
				]),
				'Runners shown offline in GitHub after a reinstall can be removed under Settings → Actions → Runners.',
			],
		},
		{
			title: recoveryTitles.database,
			lines: [
				`PostgreSQL runs as StatefulSet postgres in ${ns}; its data lives on the node (local-path volume under /var/lib/rancher/k3s/storage). Removing k3s removes it: take a dump first.`,
				...code([
					`kubectl -n ${ns} exec postgres-0 -- sh -c 'pg_dump -U "$POSTGRES_USER" "$POSTGRES_DB"' > codex-k8s.sql`,
					`kubectl -n ${ns} exec -i postgres-0 -- sh -c 'psql -U "$POSTGRES_USER" "$POSTGRES_DB"' < codex-k8s.sql`,
				]),
				'Restore into a fresh install before the platform runs its migrations, or into an empty database; keep the dump off the server.',
			],
		},
		{
			title: recoveryTitles.uninstall,
			lines: [
				'`codex-k8s-install uninstall` shows its plan first, then removes what the installer made, newest first. The operator user, the SSH hardening and the firewall stay unless asked (`--remove operator,hardening`); the repository’s variables, secrets, webhook and workflow stay unless asked (`--remove github`). Running it again changes nothing.',
			],
		},
	];
}
