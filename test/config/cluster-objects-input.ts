// The inputs the cluster's objects are rendered from: a bad one is a clear error while the answers
// are read, before anything connects, let alone applies an object.
import test from 'ava';
import {missingAnswers} from '../../source/config/required.js';
import {loadInput} from '../helpers/load-input.js';
import {usageError} from './_helpers.js';

test('the ACME server is production unless staging is asked for; nothing else is taken', t => {
	t.is(loadInput({env: {}}).input.acmeServer, 'production');
	t.is(
		loadInput({env: {CODEXK8S_ACME_SERVER: 'staging'}}).input.acmeServer,
		'staging',
	);
	t.is(loadInput({flags: {acmeServer: 'staging'}}).input.acmeServer, 'staging');
	const text = usageError(t, () =>
		loadInput({env: {CODEXK8S_ACME_SERVER: 'https://acme.example/dir'}}),
	);
	t.regex(text, /acmeServer must be one of/v);
	t.regex(text, /CODEXK8S_ACME_SERVER/v);
});

test('the platform namespace must be a Kubernetes name', t => {
	for (const bad of ['Staging', 'a_b', '-x', 'x'.repeat(64), 'a.b']) {
		const text = usageError(t, () =>
			loadInput({env: {CODEXK8S_STAGING_NAMESPACE: bad}}),
		);
		t.regex(text, /platform\.namespace must be a Kubernetes name/v, `${bad}`);
	}

	t.is(
		loadInput({env: {CODEXK8S_STAGING_NAMESPACE: 'x'.repeat(63)}}).input
			.platform.namespace,
		'x'.repeat(63),
	);
});

test('in server mode the cluster phase cannot start without the issuer’s e-mail', t => {
	const {input} = loadInput({
		env: {
			CODEXK8S_HOST: 'h.example.com',
			CODEXK8S_MODE: 'server',
			CODEXK8S_DOMAIN: 's.example.com',
		},
	});
	t.deepEqual(
		missingAnswers(input, ['cluster']).map(answer => answer.field.path),
		['acmeEmail'],
	);
	t.deepEqual(
		missingAnswers({...input, mode: 'local'}, ['cluster']).map(
			answer => answer.field.path,
		),
		[],
	);
});
