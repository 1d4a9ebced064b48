import {Buffer} from 'node:buffer';
import {readFile} from 'node:fs/promises';

export type PrivateKeyInfo = {
	format: 'openssh' | 'pem' | 'putty';
	encrypted: boolean;
};

/** The label of a PEM-style armour line (`-----BEGIN <label>-----`), which names the key format. */
const armourLabel = (text: string) =>
	/-----BEGIN ([A-Z ]+)-----/.exec(text)?.[1];

/** The OpenSSH key format names its cipher right after the magic; `none` means unencrypted. */
function opensshCipher(text: string): string | undefined {
	const body = text
		.split('\n')
		.filter(line => line && !line.startsWith('-----'))
		.join('');
	const bytes = Buffer.from(body, 'base64');
	const magic = 'openssh-key-v1\0';
	if (bytes.subarray(0, magic.length).toString('latin1') !== magic) {
		return undefined;
	}

	const length = bytes.readUInt32BE(magic.length);
	return bytes
		.subarray(magic.length + 4, magic.length + 4 + length)
		.toString('latin1');
}

/** What kind of private key the text holds, or undefined when it is not one. */
export function inspectPrivateKey(text: string): PrivateKeyInfo | undefined {
	const label = armourLabel(text);
	if (label === 'OPENSSH PRIVATE KEY') {
		const cipher = opensshCipher(text);
		return cipher === undefined
			? undefined
			: {format: 'openssh', encrypted: cipher !== 'none'};
	}

	if (label && /^((RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY$/.test(label)) {
		return {format: 'pem', encrypted: text.includes('ENCRYPTED')};
	}

	if (text.startsWith('PuTTY-User-Key-File-')) {
		return {format: 'putty', encrypted: !/^Encryption: none$/m.test(text)};
	}

	return undefined;
}

const publicKeyLine =
	/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z\d+/]+=*( .*)?$/;

/** The public key lines of an authorized_keys-style file; throws if a line is not one. */
export function parsePublicKeys(text: string): string[] {
	const lines = text
		.split('\n')
		.map(line => line.trim())
		.filter(line => line && !line.startsWith('#'));
	const bad = lines.find(line => !publicKeyLine.test(line));
	if (bad !== undefined || lines.length === 0) {
		throw new Error(
			lines.length === 0
				? 'holds no public key'
				: `holds a line that is not a public key: ${bad!.slice(0, 40)}…`,
		);
	}

	return lines;
}

export async function readText(path: string): Promise<string> {
	return readFile(path, 'utf8');
}
