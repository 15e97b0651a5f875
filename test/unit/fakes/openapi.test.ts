import { describe, expect, it } from 'vitest';
import { builtInRoutes } from '../../fakes/github-routes.js';
import {
  findOperation,
  matchRoute,
  toJsonSchema,
  validateParameters,
  validateRequestBody,
  validateResponseBody,
} from '../../fakes/openapi.js';

function routeOf(method: string, path: string): string {
  const match = matchRoute(method, path);
  return 'operation' in match ? match.operation.route : `miss:${match.reason}`;
}

describe('matchRoute', () => {
  it.each([
    ['GET', '/repos/acme/estate/pulls/comments', 'GET /repos/{owner}/{repo}/pulls/comments'],
    ['GET', '/repos/acme/estate/pulls/12', 'GET /repos/{owner}/{repo}/pulls/{pull_number}'],
    [
      'GET',
      '/repos/acme/estate/commits/abc/status',
      'GET /repos/{owner}/{repo}/commits/{ref}/status',
    ],
    [
      'GET',
      '/repos/acme/estate/commits/heads/feature/x/status',
      'GET /repos/{owner}/{repo}/commits/{ref}/status',
    ],
    [
      'GET',
      '/repos/acme/estate/contents/cmdb/db/pg.yaml',
      'GET /repos/{owner}/{repo}/contents/{path}',
    ],
    ['GET', '/rate_limit', 'GET /rate_limit'],
    ['PUT', '/rate_limit', 'miss:no-method'],
    ['GET', '/repos/acme/estate/frobnicate', 'miss:no-path'],
  ])('routes %s %s to %s', (method, path, expected) => {
    expect(routeOf(method, path)).toBe(expected);
  });

  it('decodes path parameters, joining the segments of a multi-segment one', () => {
    const encoded = matchRoute('GET', '/repos/acme/estate/contents/cmdb%2Fdb%2Fpg.yaml');
    const plain = matchRoute('GET', '/repos/acme/estate/compare/main...feature/x');

    expect('operation' in encoded && encoded.pathParams.path).toBe('cmdb/db/pg.yaml');
    expect('operation' in plain && plain.pathParams.basehead).toBe('main...feature/x');
  });

  it('names each allowed method when the path exists for other methods only', () => {
    expect(matchRoute('DELETE', '/repos/acme/estate/pulls/1')).toEqual({
      reason: 'no-method',
      allowed: ['GET', 'PATCH'],
    });
  });
});

describe('toJsonSchema', () => {
  it('turns nullable into a null type, a null enum value or a null alternative', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(
      toJsonSchema({ nullable: true, allOf: [{ $ref: '#/components/schemas/simple-user' }] }),
    ).toEqual({
      anyOf: [
        { allOf: [{ $ref: 'https://openapi.github.test/schemas/simple-user' }] },
        { type: 'null' },
      ],
    });
  });

  it('drops annotations, keeps properties named like keywords and loosens oneOf to anyOf', () => {
    expect(
      toJsonSchema({
        type: 'object',
        example: { a: 1 },
        'x-github': {},
        discriminator: { propertyName: 'type' },
        properties: { description: { type: 'string', description: 'kept as a property' } },
        oneOf: [{ type: 'string' }, { type: 'integer' }],
      }),
    ).toEqual({
      type: 'object',
      properties: { description: { type: 'string' } },
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    });
  });
});

describe('validation', () => {
  const reviews = findOperation('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews')!;
  const statuses = findOperation('POST /repos/{owner}/{repo}/statuses/{sha}')!;

  it('coerces parameters in place and reports wrong types and unknown names', () => {
    const path: Record<string, unknown> = { owner: 'acme', repo: 'estate', pull_number: '7' };
    const query: Record<string, unknown> = { per_page: '100', page: 'two', perpage: '1' };

    const errors = validateParameters(reviews, path, query);

    expect(path.pull_number).toBe(7);
    expect(query.per_page).toBe(100);
    expect(errors).toEqual([
      '/query must NOT have additional properties ("perpage")',
      '/query/page must be integer',
    ]);
  });

  it('checks a body against the requestBody schema, naming enum values', () => {
    expect(
      validateRequestBody(statuses, { state: 'success', context: 'changeops/cab' }, true),
    ).toEqual([]);
    expect(validateRequestBody(statuses, { state: 'green' }, true)).toEqual([
      '/state must be equal to one of the allowed values ["error","failure","pending","success"]',
    ]);
    expect(validateRequestBody(statuses, undefined, false)).toEqual(['a request body is required']);
    expect(validateRequestBody(reviews, {}, true)).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews takes no request body',
    ]);
  });

  it('checks a response against the schema of its status', () => {
    expect(validateResponseBody(reviews, 200, [{ id: 1 }])).toContain(
      "/0 must have required property 'node_id'",
    );
    expect(validateResponseBody(reviews, 599, { anything: true })).toEqual([]);
  });
});

describe('built-in routes', () => {
  it('answer only operations that GitHub’s description has', () => {
    const unknown = Object.keys(builtInRoutes).filter((route) => !findOperation(route));

    expect(unknown).toEqual([]);
  });
});
