/**
 * Distributions the host phase is written and tested for (ID and VERSION_ID of os-release). Help,
 * the preflight check and the docs name them in these words.
 */
export const supportedSystemList = [
	{id: 'ubuntu', version: '22.04', name: 'Ubuntu 22.04'},
	{id: 'ubuntu', version: '24.04', name: 'Ubuntu 24.04'},
	{id: 'debian', version: '12', name: 'Debian 12'},
	{id: 'debian', version: '13', name: 'Debian 13'},
] as const;

const names = supportedSystemList.map(system => system.name);

/** `Ubuntu 22.04, Ubuntu 24.04, Debian 12 or Debian 13`. */
export const supportedSystems = `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
