import {spawnSync} from 'node:child_process';
import test from 'ava';
import {parseProbeOutput, probeScript} from '../../source/remote/probe.js';
import {
	probeAfterMarker,
	readWholeFirstThenProbe,
} from '../../source/remote/scripts.js';

// What the SSH session sends for a script with `thenProbe`, run by a real bash here.
function send(body: string) {
	const probe = probeScript({
		answer: 'cat /tmp/ck8s-then-probe-test 2>/dev/null || echo absent',
		code: 'exit 4',
	});
	const result = spawnSync('bash', ['-s'], {
		input: `IFS= read -r ignored\nline the script must not see\n${readWholeFirstThenProbe(body, probe)}`,
		encoding: 'utf8',
	});
	const at = result.stdout.lastIndexOf(`${probeAfterMarker}\n`);
	return {
		code: result.status,
		own: at === -1 ? result.stdout : result.stdout.slice(0, at),
		probed:
			at === -1
				? undefined
				: parseProbeOutput(
						result.stdout.slice(at + probeAfterMarker.length + 1),
						['answer', 'code'],
					),
	};
}

test('the probe runs after a script that succeeded, even one that ends with exit 0', t => {
	const sent = send('set -euo pipefail\necho done\nexit 0\necho never');
	t.is(sent.code, 0);
	t.is(sent.own, 'done\n');
	t.is(sent.probed?.['answer']?.code, 0);
	t.is(sent.probed?.['code']?.code, 4);
});

test('a failed script keeps its exit code and output, and nothing is probed', t => {
	const sent = send('set -euo pipefail\necho started\nfalse\necho never');
	t.is(sent.code, 1);
	t.is(sent.own, 'started\n');
	t.is(sent.probed, undefined);
	t.is(send('exit 3').code, 3);
});

test('a script reading stdin cannot eat the probe that follows it', t => {
	const sent = send('cat\necho after');
	t.is(sent.code, 0);
	t.is(sent.own, 'after\n');
	t.truthy(sent.probed);
});
