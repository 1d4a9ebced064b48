import {StringDecoder} from 'node:string_decoder';

/** Bytes in, whole lines out (UTF-8 across chunk borders, CRLF trimmed); `end` flushes the rest. */
export function lineSplitter(onLine: (line: string) => void): {
	push(chunk: Uint8Array): void;
	end(): void;
} {
	const decoder = new StringDecoder('utf8');
	let pending = '';
	return {
		push(chunk) {
			pending += decoder.write(chunk);
			const lines = pending.split('\n');
			pending = lines.pop()!;
			for (const line of lines) {
				onLine(line.replace(/\r$/, ''));
			}
		},
		end() {
			pending += decoder.end();
			if (pending) {
				onLine(pending);
				pending = '';
			}
		},
	};
}
