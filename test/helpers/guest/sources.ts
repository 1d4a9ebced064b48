import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {GuestDistribution} from './constants.js';

export type AptSource = {
	uris: string[];
	suites: string[];
	components: string[];
	signedBy?: string;
};

const aptDirectory = '/etc/apt';
const suitePattern =
	/^(?<codename>[a-z]+)(?<pocket>-updates|-security|-backports)?(?:\/updates)?$/v;

function parseDeb822(text: string): AptSource[] {
	return text
		.split(/\n\s*\n/v)
		.map(stanza => {
			const fields = new Map<string, string>();
			for (const line of stanza.split('\n')) {
				const match = /^(?<key>[A-Za-z\-]+):\s*(?<value>.*)$/v.exec(line);
				if (match?.groups) {
					fields.set(
						match.groups['key']!.toLowerCase(),
						match.groups['value']!.trim(),
					);
				}
			}

			return fields;
		})
		.filter(
			fields =>
				(fields.get('types') ?? '').split(/\s+/v).includes('deb') &&
				fields.get('enabled') !== 'no',
		)
		.map(fields => ({
			uris: (fields.get('uris') ?? '').split(/\s+/v).filter(Boolean),
			suites: (fields.get('suites') ?? '').split(/\s+/v).filter(Boolean),
			components: (fields.get('components') ?? '')
				.split(/\s+/v)
				.filter(Boolean),
			signedBy: fields.get('signed-by'),
		}));
}

function parseOneLine(text: string): AptSource[] {
	const sources: AptSource[] = [];
	for (const line of text.split('\n')) {
		const match =
			/^deb\s+(?:\[[^\]]*\]\s+)?(?<uri>\S+)\s+(?<suite>\S+)\s+(?<components>.*)$/v.exec(
				line.trim(),
			);
		if (match?.groups) {
			sources.push({
				uris: [match.groups['uri']!],
				suites: [match.groups['suite']!],
				components: match.groups['components']!.split(/\s+/v).filter(Boolean),
			});
		}
	}

	return sources;
}

/** The Debian archives this machine's apt uses; third-party repositories are not copied into guests. */
export function hostDebianSources(): AptSource[] {
	const files: string[] = [];
	if (existsSync(path.join(aptDirectory, 'sources.list'))) {
		files.push(path.join(aptDirectory, 'sources.list'));
	}

	const directory = path.join(aptDirectory, 'sources.list.d');
	if (existsSync(directory)) {
		for (const name of readdirSync(directory).toSorted()) {
			if (name.endsWith('.list') || name.endsWith('.sources')) {
				files.push(path.join(directory, name));
			}
		}
	}

	return files
		.flatMap(file => {
			const text = readFileSync(file, 'utf8');
			return file.endsWith('.sources') ? parseDeb822(text) : parseOneLine(text);
		})
		.filter(
			source =>
				source.uris.some(uri =>
					/^https?:\/\/[^\/]+\/debian(?:-security)?\/?$/v.test(uri),
				) && source.suites.every(suite => suitePattern.test(suite)),
		);
}

/** Where debootstrap downloads from: the host's main (not security) Debian archive. */
export function debianMirror(sources: AptSource[]): string | undefined {
	const main = sources.find(source =>
		source.suites.some(suite => !suite.includes('-')),
	);
	return main?.uris.find(uri => !uri.includes('debian-security'));
}

export function mirrorHosts(sources: AptSource[]): string[] {
	return [
		...new Set(
			sources.flatMap(source => source.uris.map(uri => new URL(uri).host)),
		),
	];
}

/** The host's Debian sources in deb822 form, with the host's codename replaced by the guest's. */
export function renderGuestSources(
	sources: AptSource[],
	distribution: GuestDistribution,
): string {
	return sources
		.map(source => {
			const suites = source.suites.map(suite =>
				suite.replace(suitePattern, `${distribution}$<pocket>`),
			);
			return [
				'Types: deb',
				`URIs: ${source.uris.join(' ')}`,
				`Suites: ${suites.join(' ')}`,
				`Components: ${source.components.join(' ')}`,
				`Signed-By: ${source.signedBy ?? '/usr/share/keyrings/debian-archive-keyring.gpg'}`,
			].join('\n');
		})
		.join('\n\n')
		.concat('\n');
}
