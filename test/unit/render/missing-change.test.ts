import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../../src/records/schemas.js';
import { renderComment } from '../../../src/render/comment.js';
import {
  maxCis,
  missingChangeModel,
  type MissingChangeView,
} from '../../../src/render/missing-change.js';
import type { ReportView } from '../../../src/render/report-view.js';
import { renderSummary } from '../../../src/render/summary.js';

const head = { repository: 'acme/shop', branch: 'feature/faster-payments', author: 'octocat' };
const missing = (overrides: Partial<MissingChangeView> = {}): MissingChangeView => ({
  id: 'CHG-0043',
  cis: ['payments-api', 'pg-payments'],
  head,
  ...overrides,
});
const aView = (missingChange?: MissingChangeView): ReportView => ({
  repository: 'acme/shop',
  headSha: '0123456789abcdef0123456789abcdef01234567',
  counts: { errors: 0, warnings: 1, notices: 0 },
  changes: [],
  releases: [],
  otherFindings: [],
  ...(missingChange ? { missingChange } : {}),
});

/** The link's parts, as GitHub's editor reads them. */
function opened(link: string) {
  const url = new URL(link);
  return {
    path: decodeURIComponent(url.pathname),
    filename: url.searchParams.get('filename'),
    value: url.searchParams.get('value') ?? '',
  };
}

describe('the missing change record', () => {
  it('tells the pull request the command to run and links GitHub editor pre-filled', () => {
    const body = renderComment(aView(missing()));
    const model = missingChangeModel(missing())!;
    expect(body).toContain('### Missing change record');
    expect(body).toContain(
      'Code of `payments-api`, `pg-payments` changed, and no proposed or approved change of this branch covers it. Add one to this branch:',
    );
    expect(body).toContain(
      '- run `changeops new --cis payments-api,pg-payments` in your clone, then commit and push the file it writes, or',
    );
    expect(body).toContain(
      `- [create \`changes/CHG-0043-payments-api-pg-payments.yaml\` in GitHub's editor](${model.link}), pre-filled as a draft`,
    );
    expect(renderSummary(aView(missing()))).toContain(model.command);
    expect(opened(model.link!)).toMatchObject({
      path: '/acme/shop/new/feature/faster-payments',
      filename: 'changes/CHG-0043-payments-api-pg-payments.yaml',
    });
  });

  it('pre-fills a draft that passes the change schema, its modeline on the schemas init writes', () => {
    const { value } = opened(missingChangeModel(missing())!.link!);
    expect(value.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../.changeops/schemas/change.schema.json',
    );
    const record = YAML.parse(value) as Record<string, unknown>;
    expect(record).toEqual({
      apiVersion: 'changeops/v1',
      kind: 'Change',
      id: 'CHG-0043',
      title: 'TODO: what this pull request changes',
      type: 'normal',
      status: 'draft',
      requester: 'octocat',
      cis: ['payments-api', 'pg-payments'],
    });
    expect(schemaErrors('Change', record)).toEqual([]);
  });

  it('names the folder in a monorepo: --dir in the command, the file under it', () => {
    const model = missingChangeModel(missing({ dir: 'services/payments', cis: ['payments-api'] }))!;
    expect(model.command).toBe('changeops new --cis payments-api --dir services/payments');
    expect(opened(model.link!).filename).toBe(
      'services/payments/changes/CHG-0043-payments-api.yaml',
    );
    expect(missingChangeModel(missing({ dir: "team's apps", cis: ['a'] }))!.command).toBe(
      "changeops new --cis a --dir 'team'\\''s apps'",
    );
  });

  it.each([
    ['a branch with a quote', { head: { ...head, branch: 'x")](https://evil.example/' } }],
    ['a branch with a space', { head: { ...head, branch: 'my branch' } }],
    ['a branch with ..', { head: { ...head, branch: 'a/../../settings' } }],
    ['a branch starting with -', { head: { ...head, branch: '-x' } }],
    ['a repository that is no owner/name', { head: { ...head, repository: 'acme/shop/x' } }],
    ['no head repository', { head: { branch: 'main', author: 'octocat' } }],
    ['no pull request', { head: undefined }],
  ])('gives the command but no link for %s', (_name, overrides) => {
    const model = missingChangeModel({ ...missing(), ...overrides } as MissingChangeView)!;
    expect(model.command).toBe('changeops new --cis payments-api,pg-payments');
    expect(model.link).toBeUndefined();
    expect(renderComment(aView({ ...missing(), ...overrides } as MissingChangeView))).not.toContain(
      "GitHub's editor",
    );
  });

  it('puts a requester placeholder in the draft when the author is a bot', () => {
    const link = missingChangeModel(
      missing({ head: { ...head, author: 'dependabot[bot]' } }),
    )!.link!;
    expect(YAML.parse(opened(link).value)).toMatchObject({ requester: 'TODO-your-login' });
  });

  it('names only ids the CI id pattern allows, at most ten, and counts the rest', () => {
    const many = Array.from({ length: 14 }, (_, i) => `ci-${String(i).padStart(2, '0')}`);
    const model = missingChangeModel(missing({ cis: ['Bad Id', '$(id)', ...many] }))!;
    expect(model.cis).toEqual(many.slice(0, maxCis));
    expect(model.moreCis).toBe(4);
    expect(renderComment(aView(missing({ cis: many })))).toContain(
      '`ci-09` and 4 more CIs changed',
    );
    expect(missingChangeModel(missing({ cis: ['$(id)'] }))).toBeUndefined();
  });

  it('keeps the link under the length safeUrl allows, or leaves it out', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${'x'.repeat(60)}-${i}`);
    const model = missingChangeModel(missing({ cis: long }))!;
    expect(model.command).toContain(long.join(','));
    if (model.link) expect(model.link.length).toBeLessThanOrEqual(2000);
  });

  it('says nothing when the branch lacks no change record', () => {
    expect(renderComment(aView())).not.toContain('Missing change record');
  });
});
