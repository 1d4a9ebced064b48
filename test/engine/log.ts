import {mkdtempSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {createLogger, makeRedactor} from '../../source/log.js';
import {fakeSecret} from '../helpers/secrets.js';

test('registered secrets never reach the log file', t => {
	const file = join(
		mkdtempSync(join(tmpdir(), 'ck8s-log-')),
		'logs',
		'run.log',
	);
	const log = createLogger(file, () => new Date('2026-01-01T00:00:00Z'));
	const token = fakeSecret('ghp_');
	log.addSecret(token);
	log.addSecret('canary');
	log.info(`token is ${token} and again canary`);
	log.error(`Authorization: token ${token}`);
	const text = readFileSync(file, 'utf8');
	t.is(
		text,
		'2026-01-01T00:00:00.000Z info  token is *** and again ***\n2026-01-01T00:00:00.000Z error Authorization: token ***\n',
	);
	t.is(statSync(file).mode & 0o777, 0o600);
});

test('the longest secret is hidden whole and very short values are not treated as secrets', t => {
	const redactor = makeRedactor();
	redactor.add('abc');
	redactor.add('secret');
	redactor.add('secret-longer');
	t.is(redactor.redact('abc secret-longer secret'), 'abc *** ***');
});

test('the log file exists as soon as there is a logger for it, even before a line is written', t => {
	const file = join(
		mkdtempSync(join(tmpdir(), 'ck8s-log-')),
		'logs',
		'run.log',
	);
	createLogger(file);
	t.is(readFileSync(file, 'utf8'), '');
	t.is(statSync(file).mode & 0o777, 0o600);
});
