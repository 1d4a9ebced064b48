import {createHash, randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {UserError} from '../../source/errors.js';
import {connect} from '../../source/remote/connect.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {stdoutOf, testScripts} from '../helpers/remote-guest.js';
import {
	guestConnection,
	memoryLogger,
	temporaryHome,
} from '../helpers/remote.js';

guestTest(
	'uploadFile streams a large local file piece by piece: exact bytes, mode, a name with quotes and spaces, no temp file; a missing local file is a clear error',
	async t => {
		t.timeout(10 * 60_000);
		await withGuest({}, async guest => {
			const home = temporaryHome();
			const session = await connect(
				{connection: guestConnection(guest, home.home)},
				{
					log: memoryLogger(),
					home: home.home,
					env: {},
					scriptsDirectory: testScripts,
				},
			);
			try {
				// Many read pieces, and a size that is no multiple of base64's 3-byte groups.
				const bytes = randomBytes(8 * 1024 * 1024 + 2);
				const local = join(home.home, 'images.tar');
				writeFileSync(local, bytes);
				await guest.exec('install -d "/srv/ck8s up"');
				const remote = `/srv/ck8s up/it's "images" $(touch pwned).tar`;
				await session.uploadFile(local, remote, {mode: 0o600});
				const sum = createHash('sha256').update(bytes).digest('hex');
				const found = await guest.exec(
					`cd "/srv/ck8s up" && sha256sum -- * && stat -c "%a %s" -- * && ls -A && find / -xdev -name pwned | wc -l`,
				);
				t.is(
					found.stdout,
					[
						`${sum}  it's "images" $(touch pwned).tar`,
						`600 ${bytes.length}`,
						`it's "images" $(touch pwned).tar`,
						'0',
						'',
					].join('\n'),
				);

				await t.throwsAsync(
					session.uploadFile(join(home.home, 'missing.tar'), '/srv/x', {
						mode: 0o600,
					}),
					{message: /ENOENT/},
				);
				t.is(await stdoutOf(guest.exec('ls -A /srv')), 'ck8s up\n');
				await t.throwsAsync(
					session.uploadFile(local, '/srv/missing/dir/file', {mode: 0o644}),
					{instanceOf: UserError, message: /could not write \/srv\/missing/},
				);
			} finally {
				await session.close();
				home.dispose();
			}
		});
	},
);
