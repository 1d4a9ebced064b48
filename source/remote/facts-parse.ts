/** Pure parsers for the preflight probe outputs (source/remote/facts.ts gathers them). */

export type OsRelease = {
	id: string;
	versionId: string;
	codename: string;
	prettyName: string;
	idLike: string[];
};

export type LockHolder = {
	path: string;
	pid: number;
	command: string;
	args: string;
};

export type CloudInit =
	{present: false} | {present: true; status: string; running: boolean};

export type DiskSpace = {
	mount: string;
	availableBytes: number;
	sizeBytes: number;
};

export type Network = {
	defaultRoute: {ipv4: string[]; ipv6: string[]};
	nameservers: string[];
	/** `Acquire::http::Proxy "…"` and the like, from `apt-config dump`. */
	aptProxies: string[];
	/** `http_proxy=…` and the like, from /etc/environment. */
	environmentProxies: string[];
};

export type TimeSync = {ntp?: boolean; synchronized?: boolean};

const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/, '$2');

export function parseOsRelease(text: string): OsRelease {
	const fields = new Map<string, string>();
	for (const line of text.split('\n')) {
		const match = /^([A-Z\d_]+)=(.*)$/.exec(line.trim());
		if (match) {
			fields.set(match[1]!, unquote(match[2]!.trim()));
		}
	}

	const id = fields.get('ID') ?? '';
	return {
		id,
		versionId: fields.get('VERSION_ID') ?? '',
		codename: fields.get('VERSION_CODENAME') ?? '',
		prettyName: fields.get('PRETTY_NAME') ?? (id || 'an unknown system'),
		idLike: (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
	};
}

const dpkgArchOf: Record<string, string> = {
	x86_64: 'amd64',
	aarch64: 'arm64',
	arm64: 'arm64',
	i686: 'i386',
	armv7l: 'armhf',
};

/** The Debian architecture name: dpkg's own answer, else mapped from `uname -m`. */
export function parseArch(text: string): {machine: string; dpkg: string} {
	const [machine = '', dpkg = ''] = text
		.split('\n')
		.map(line => line.trim())
		.filter(Boolean);
	return {machine, dpkg: dpkg || (dpkgArchOf[machine] ?? machine)};
}

/** `systemd-detect-virt --container` prints `none` (exit 1) outside containers. */
export function parseContainer(text: string): string | undefined {
	const value = text.trim().split('\n')[0]?.trim() ?? '';
	return value === '' || value === 'none' ? undefined : value;
}

/**
 * `cloud-init status` (or `absent`), then `system: <systemctl is-system-running>`. "not started"
 * counts as running only while the system is still booting: an image that ships cloud-init but
 * never runs it says "not started" forever.
 */
export function parseCloudInit(text: string): CloudInit {
	const system = /^system:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? '';
	const rest = text.replace(/^system:.*$/m, '').trim();
	if (rest === 'absent') {
		return {present: false};
	}

	const status =
		/^status:\s*(.+)$/m.exec(rest)?.[1]?.trim() ?? (rest || 'unknown');
	const booting = system === 'initializing' || system === 'starting';
	return {
		present: true,
		status,
		running:
			/\brunning\b/.test(status) || (status === 'not started' && booting),
	};
}

/**
 * One holder per process that has a lock file open; a child that merely inherited the open file
 * from a parent holding the same lock (`flock FILE sleep`, apt running a hook) is left out.
 */
export function parseLockHolders(text: string): LockHolder[] {
	const entries = text
		.split('\n')
		.filter(Boolean)
		.map(line => {
			const [path = '', pid = '', ppid = '', command = '', args = ''] =
				line.split('\t');
			return {path, pid: Number(pid), ppid: Number(ppid), command, args};
		})
		.filter(entry => entry.path && Number.isInteger(entry.pid));
	const holds = new Set(entries.map(entry => `${entry.pid}:${entry.path}`));
	return entries
		.filter(entry => !holds.has(`${entry.ppid}:${entry.path}`))
		.map(({path, pid, command, args}) => ({path, pid, command, args}));
}

/** `df -Pk / /var`: the first row is /, the second the file system /var is on. */
export function parseDisk(text: string): {
	root: DiskSpace;
	variable: DiskSpace;
} {
	const rows = text
		.split('\n')
		.slice(1)
		.filter(line => line.trim())
		.map(line => {
			const [, size = '0', , available = '0', , ...mount] = line
				.trim()
				.split(/\s+/);
			return {
				mount: mount.join(' '),
				sizeBytes: Number(size) * 1024,
				availableBytes: Number(available) * 1024,
			};
		});
	if (rows.length === 0) {
		throw new Error(`unexpected df output: ${text.trim() || '(empty)'}`);
	}

	return {root: rows[0]!, variable: rows[1] ?? rows[0]!};
}

export function parseMemory(text: string): {
	totalBytes: number;
	availableBytes: number;
} {
	const kib = (name: string) =>
		Number(
			new RegExp(String.raw`^${name}:\s+(\d+)`, 'm').exec(text)?.[1] ?? 0,
		) * 1024;
	return {totalBytes: kib('MemTotal'), availableBytes: kib('MemAvailable')};
}

const yesNo = (value: string | undefined) =>
	value === undefined ? undefined : value === 'yes';

/** `date +%s.%N` then `timedatectl show -p NTP -p NTPSynchronized` (absent in some containers). */
export function parseClock(text: string): {
	remoteSeconds: number;
	timeSync: TimeSync;
} {
	const [first = '', ...rest] = text.trim().split('\n');
	const remoteSeconds = Number(first.trim());
	if (!Number.isFinite(remoteSeconds) || first.trim() === '') {
		throw new Error(`unexpected date output: ${first || '(empty)'}`);
	}

	const properties = new Map(
		rest.map(line => line.trim().split('=', 2) as [string, string]),
	);
	return {
		remoteSeconds,
		timeSync: {
			ntp: yesNo(properties.get('NTP')),
			synchronized: yesNo(properties.get('NTPSynchronized')),
		},
	};
}

/** Sections separated by `--- name` lines: route, route6, resolv, apt, environment. */
export function parseNetwork(text: string): Network {
	const sections = new Map<string, string[]>();
	let current = '';
	for (const line of text.split('\n')) {
		const header = /^--- (\w+)$/.exec(line);
		if (header) {
			current = header[1]!;
			sections.set(current, []);
		} else if (current) {
			sections.get(current)!.push(line);
		}
	}

	const lines = (name: string) =>
		(sections.get(name) ?? []).map(line => line.trim()).filter(Boolean);
	const ipv4 = lines('route')
		.map(line => line.split(/\s+/))
		.filter(fields => fields[1] === '00000000' && fields[7] === '00000000')
		.map(([device = '']) => device);
	const ipv6 = lines('route6')
		.map(line => line.split(/\s+/))
		.filter(
			fields =>
				/^0{32}$/.test(fields[0] ?? '') &&
				fields[1] === '00' &&
				fields[9] !== 'lo',
		)
		.map(fields => fields[9] ?? '');
	return {
		defaultRoute: {ipv4: [...new Set(ipv4)], ipv6: [...new Set(ipv6)]},
		nameservers: lines('resolv')
			.map(line => /^nameserver\s+(\S+)/.exec(line)?.[1])
			.filter(server => server !== undefined),
		aptProxies: lines('apt').filter(line => /::proxy\b/i.test(line)),
		environmentProxies: lines('environment').filter(line =>
			/^(?:export\s+)?\w*_proxy=/i.test(line),
		),
	};
}
