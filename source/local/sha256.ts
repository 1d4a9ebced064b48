import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';

/** A local file's SHA-256 in hex, read a piece at a time. */
export async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) {
		hash.update(chunk as Uint8Array);
	}

	return hash.digest('hex');
}
