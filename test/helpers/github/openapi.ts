import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {Ajv, type ValidateFunction} from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The official description of api.github.com (`@octokit/openapi`), and validators built from it.
 * Every request the product sends and every response the stand-in gives is checked here.
 */

type Json = Record<string, any>;

export type Operation = {
	id: string;
	method: string;
	template: string;
	pattern: RegExp;
	names: string[];
	spec: Json;
};

export type Match = {operation: Operation; params: Record<string, string>};

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let cached: OpenApi | undefined;

export class OpenApi {
	static load(): OpenApi {
		cached ??= new OpenApi();
		return cached;
	}

	private readonly spec: Json;
	private readonly ajv: Ajv;
	private readonly operations: Operation[] = [];
	private readonly validators = new Map<string, ValidateFunction>();

	private constructor() {
		const file =
			require.resolve('@octokit/openapi/generated/api.github.com.json');
		this.spec = JSON.parse(readFileSync(file, 'utf8')) as Json;
		this.ajv = new Ajv({strict: false, allErrors: true});
		addFormats(this.ajv);
		this.ajv.addSchema(
			{components: openNullable(this.spec['components']) as Json},
			'gh',
		);
		for (const [template, item] of Object.entries(this.spec['paths'] as Json)) {
			for (const [method, spec] of Object.entries(item as Json)) {
				if (method === 'parameters') {
					continue;
				}

				const names: string[] = [];
				const source = template.replaceAll(/{(\w+)}/g, (_all, name: string) => {
					names.push(name);
					// A file path or a git ref spans segments (`.github/workflows/x.yml`, `heads/main`).
					return name === 'path' || name === 'ref' ? '(.+)' : '([^/]+)';
				});
				this.operations.push({
					id: (spec as Json)['operationId'] as string,
					method: method.toUpperCase(),
					template,
					pattern: new RegExp(`^${source}$`),
					names,
					spec: spec as Json,
				});
			}
		}
	}

	/** The documented operation for a request; literal paths win over templated ones. */
	match(method: string, pathname: string): Match | undefined {
		const candidates = this.operations.filter(
			operation =>
				operation.method === method && operation.pattern.test(pathname),
		);
		candidates.sort((a, b) => a.names.length - b.names.length);
		const operation = candidates[0];
		if (!operation) {
			return undefined;
		}

		const values = operation.pattern.exec(pathname)!.slice(1);
		const parameters = Object.fromEntries(
			operation.names.map((name, index) => [
				name,
				decodeURIComponent(values[index]!),
			]),
		);
		return {operation, params: parameters};
	}

	/** Problems with a request: unknown or missing parameters, wrong types, a body off the schema. */
	validateRequest(
		match: Match,
		query: URLSearchParams,
		body: unknown,
	): string[] {
		const problems: string[] = [];
		const parameters = (
			(match.operation.spec['parameters'] ?? []) as Json[]
		).map(parameter => this.deref(parameter));
		for (const parameter of parameters) {
			const name = parameter['name'] as string;
			const where = parameter['in'] as string;
			const value =
				where === 'path'
					? match.params[name]
					: where === 'query'
						? (query.get(name) ?? undefined)
						: undefined;
			if (value === undefined) {
				if (parameter['required'] === true) {
					problems.push(`missing ${where} parameter ${name}`);
				}

				continue;
			}

			const schema = parameter['schema'] as Json;
			const typed = coerce(value, schema);
			problems.push(...this.check(schema, typed, `${where} parameter ${name}`));
		}

		for (const name of query.keys()) {
			if (
				!parameters.some(
					parameter =>
						parameter['in'] === 'query' && parameter['name'] === name,
				)
			) {
				problems.push(`undocumented query parameter ${name}`);
			}
		}

		const requestBody = match.operation.spec['requestBody'] as Json | undefined;
		if (requestBody === undefined) {
			if (body !== undefined) {
				problems.push('a body was sent to an operation that takes none');
			}

			return problems;
		}

		const resolved = this.deref(requestBody);
		if (body === undefined) {
			if (resolved['required'] === true) {
				problems.push('missing request body');
			}

			return problems;
		}

		const json = (resolved['content'] as Json)['application/json'] as
			Json | undefined;
		const schema = json?.['schema'] as Json | undefined;
		if (schema) {
			problems.push(...this.check(schema, body, 'request body'));
		}

		return problems;
	}

	/**
	 * Problems with a response. A success status must be documented for the operation. Error
	 * statuses GitHub may give on any operation (401, 403, 404, 422, 429) are checked against the
	 * documented schema when the operation lists them, else against `basic-error`.
	 */
	validateResponse(match: Match, status: number, body: unknown): string[] {
		const responses = match.operation.spec['responses'] as Json;
		const documented = responses[String(status)] as Json | undefined;
		if (!documented) {
			if (status < 400) {
				return [`status ${status} is not documented for ${match.operation.id}`];
			}

			return this.check(
				{$ref: '#/components/schemas/basic-error'},
				body,
				`${status} body`,
			);
		}

		const content = this.deref(documented)['content'] as Json | undefined;
		const json = content?.['application/json'] as Json | undefined;
		const schema = json?.['schema'] as Json | undefined;
		if (!schema) {
			return body === undefined
				? []
				: [`status ${status} of ${match.operation.id} has no body`];
		}

		// The description lists overlapping alternatives for some answers (a 409 is a basic error or a
		// rule-violation error, and neither requires a field), so "exactly one" can never hold there:
		// any one is what it means.
		const alternatives = schema['oneOf'] as Json[] | undefined;
		return this.check(
			alternatives ? {anyOf: alternatives} : schema,
			body,
			`${status} body`,
		);
	}

	/** The default example of a component, as GitHub documents it: a base for stand-in objects. */
	example(name: string): Json {
		const examples = (this.spec['components'] as Json)['examples'] as Json;
		return structuredClone((examples[name] as Json)['value'] as Json);
	}

	private deref(node: Json): Json {
		let current = node;
		while (typeof current['$ref'] === 'string') {
			const path = current['$ref'].replace('#/', '').split('/');
			let target = this.spec;
			for (const key of path) {
				target = target[key] as Json;
			}

			current = target;
		}

		return current;
	}

	private check(schema: Json, value: unknown, what: string): string[] {
		const key = JSON.stringify(schema);
		let validate = this.validators.get(key);
		if (!validate) {
			const rooted = openNullable(
				JSON.parse(key.replaceAll('"#/components/', '"gh#/components/')),
			) as Json;
			validate = this.ajv.compile(rooted);
			this.validators.set(key, validate);
		}

		if (validate(value)) {
			return [];
		}

		return (validate.errors ?? []).map(
			error =>
				`${what}${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
		);
	}
}

function coerce(value: string, schema: Json): unknown {
	const type = schema['type'] as string | undefined;
	if (type === 'integer' || type === 'number') {
		return Number(value);
	}

	if (type === 'boolean') {
		return value === 'true' ? true : value === 'false' ? false : value;
	}

	return value;
}

/**
 * OpenAPI 3.0's `nullable` next to `allOf`/`$ref` (no `type`) is valid there but not in Ajv:
 * rewritten as "this, or null", which is what it means.
 */
function openNullable(node: unknown): unknown {
	if (Array.isArray(node)) {
		return node.map(item => openNullable(item));
	}

	if (typeof node !== 'object' || node === null) {
		return node;
	}

	const entries = Object.entries(node as Json).map(
		([key, value]) => [key, openNullable(value)] as const,
	);
	const object: Json = Object.fromEntries(entries);
	// In OpenAPI 3.0, `nullable` admits null even next to an `enum` that does not list it.
	if (
		object['nullable'] === true &&
		Array.isArray(object['enum']) &&
		!(object['enum'] as unknown[]).includes(null)
	) {
		object['enum'] = [...(object['enum'] as unknown[]), null];
	}

	if (object['nullable'] === true && object['type'] === undefined) {
		delete object['nullable'];
		return {anyOf: [object, {type: 'null'}]};
	}

	return object;
}
