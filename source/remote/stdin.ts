import type {Channel} from './ssh2.js';

/**
 * Writes `chunks` to the command's stdin as the channel takes them (a large file is never whole
 * in memory), then ends it. A channel that closes meanwhile (the command failed, the link died)
 * ends the writing: the command's own result says why.
 */
export async function streamStdin(
	channel: Channel,
	chunks: AsyncIterable<string>,
): Promise<void> {
	for await (const chunk of chunks) {
		if (!channel.writable) {
			return;
		}

		if (!channel.write(chunk)) {
			await new Promise<void>(resolve => {
				const done = () => {
					channel.off('drain', done);
					channel.off('close', done);
					resolve();
				};

				channel.on('drain', done);
				channel.on('close', done);
			});
		}
	}

	if (channel.writable) {
		channel.end();
	}
}
