import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from './app.js';
import { openTemporaryStore } from '../store/index.js';

/**
 * Every response the API sends is described by a closed schema: each object lists its properties and forbids
 * others (`additionalProperties: false`), so a field that is not declared never leaves the server (Fastify's
 * serializer drops it) and the dashboard's generated types are exact. A schema that says "anything" (`{}`) is
 * allowed only where the payload is an external format with its own specification, listed here with the reason.
 */
const FREE_FORM: readonly { place: RegExp; reason: string }[] = [
  { place: /\.error\.details$/, reason: 'error details differ per code; docs/errors.md describes each' },
  {
    place: /^GET \/api\/audit 200\.items\[\]\.(before|after)$/,
    reason: 'the audited record as stored before and after the write, of whichever entity it was',
  },
  {
    place: /^(GET|POST) \/api\/analysis\/runs(\/\{id\})? 20[01](\.items\[\])?\.(parameters|results)$/,
    reason:
      "an analysis run's parameters and results are the engine's document for its kind, kept as stored under its engineVersion",
  },
];
type Schema = Record<string, unknown>;

/** Yields a description of each place in `schema` that is an open object or an unconstrained value. */
function* openPlaces(schema: unknown, where: string, components: Record<string, Schema>): Generator<string> {
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace(/^#\/components\/schemas\//, '');
    yield* openPlaces(components[name], `${where}→${name}`, {});
    return;
  }
  const keys = Object.keys(s).filter(
    (k) => !['description', 'title', 'nullable', 'default', 'example'].includes(k),
  );
  if (keys.length === 0) {
    if (!FREE_FORM.some((f) => f.place.test(where))) yield `${where}: any value`;
    return;
  }
  // OpenAPI 3.0 has no null type: @fastify/swagger writes a null branch as `{ type: 'object', nullable, enum: [null] }`.
  const isNull = Array.isArray(s.enum) && s.enum.every((v) => v === null);
  if (!isNull && (s.type === 'object' || s.properties)) {
    // Closed, or a map whose values have a schema of their own (checked below).
    if (s.additionalProperties !== false && typeof s.additionalProperties !== 'object')
      yield `${where}: object not closed`;
    if (typeof s.additionalProperties === 'object')
      yield* openPlaces(s.additionalProperties, `${where}.*`, components);
    for (const [name, child] of Object.entries((s.properties as Record<string, unknown>) ?? {}))
      yield* openPlaces(child, `${where}.${name}`, components);
  }
  if (s.items) yield* openPlaces(s.items, `${where}[]`, components);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
    if (Array.isArray(s[k]))
      for (const [i, child] of (s[k] as unknown[]).entries())
        yield* openPlaces(child, `${where}|${i}`, components);
}

type OpenApi = {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
};

/** The OpenAPI document of the whole app, built over an empty store. */
async function openApiDocument(): Promise<OpenApi> {
  const { store, dispose } = await openTemporaryStore();
  try {
    const app = await buildApp({ store, cityCode: '5101' });
    const doc = app.swagger() as unknown as OpenApi;
    await app.close();
    return doc;
  } finally {
    await dispose();
  }
}

test('every response schema in the OpenAPI document is closed', async () => {
  const doc = await openApiDocument();
  const open: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods))
      for (const [status, response] of Object.entries(op.responses ?? {}))
        for (const [type, content] of Object.entries(response.content ?? {}))
          if (type === 'application/json')
            open.push(
              ...openPlaces(
                content.schema,
                `${method.toUpperCase()} ${path} ${status}`,
                doc.components.schemas,
              ),
            );
  assert.deepEqual(open, []);
});

/**
 * Every list is paged (`{ items, total, limit, offset }`): a GET whose answer is a bare JSON array grows with the
 * store unless what it lists is bounded by something small and fixed. Those are listed here, each with what
 * bounds it. GeoJSON answers (`/api/map/…`, `/api/isochrone`) follow their own format and are not checked here.
 */
const BOUNDED_ARRAYS: Readonly<Record<string, string>> = {
  '/api/facility-types': 'the city’s facility type catalogue (tens)',
  '/api/indicators/suggest': 'at most five indicators of the catalogue (13), best first',
  '/api/plans/completion': 'one row per district of the city: bounded by the divisions, not the store',
};

test('no GET answers a bare array that grows with the store', async () => {
  const doc = await openApiDocument();
  const arrays: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/') || path.startsWith('/api/map/') || path.startsWith('/api/isochrone'))
      continue;
    let schema = methods.get?.responses?.['200']?.content?.['application/json']?.schema as Schema | undefined;
    if (typeof schema?.$ref === 'string')
      schema = doc.components.schemas[schema.$ref.replace(/^#\/components\/schemas\//, '')];
    if (schema?.type === 'array') arrays.push(path);
  }
  const unbounded = arrays.filter((path) => !(path in BOUNDED_ARRAYS));
  assert.deepEqual(
    unbounded,
    [],
    `answer a page ({ items, total, limit, offset }) instead: ${unbounded.join(', ')}`,
  );
  // An entry whose route no longer answers an array is stale: the list stays short and true.
  assert.deepEqual(
    Object.keys(BOUNDED_ARRAYS).filter((path) => !arrays.includes(path)),
    [],
    'allowed as bounded but not an array answer (any more)',
  );
});
