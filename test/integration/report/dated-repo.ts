import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Who commits, as git records it. */
export interface Person {
  name: string;
  email: string;
}

/** A GitHub user committing from their no-reply address, as the web UI does. */
export function githubUser(login: string, id = 1000): Person {
  return { name: login, email: `${id}+${login}@users.noreply.github.com` };
}

/** The person GitHub's merge button commits as. */
export const githubMerge: Person = { name: 'GitHub', email: 'noreply@github.com' };

/**
 * A scratch git repository whose commits carry the dates a test chooses (author and committer),
 * so a history with known lead times can be generated. Everything is synchronous and local.
 */
export class DatedRepo {
  readonly dir: string;

  constructor(dir = mkdtempSync(join(tmpdir(), 'changeops-history-'))) {
    this.dir = dir;
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'user.name', 'Test');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'commit.gpgsign', 'false');
  }

  /** Runs git in the repository with the environment given on top of ours. */
  git(...args: string[]): string {
    return this.gitWith({}, ...args);
  }

  /** Runs git with extra environment variables. */
  gitWith(env: Record<string, string>, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Writes files (path -> text); `null` deletes the file. */
  write(files: Record<string, string | null>): this {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (text === null) {
        unlinkSync(full);
        continue;
      }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    return this;
  }

  /** Makes a symbolic link at `path` pointing to `target`. */
  link(path: string, target: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    symlinkSync(target, full);
    return this;
  }

  /** Stages everything and commits at `date` (both author and committer date); returns the sha. */
  commit(
    message: string,
    date: string,
    author: Person = { name: 'Test', email: 'test@example.com' },
  ): string {
    this.git('add', '--all');
    this.gitWith(
      {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
      },
      'commit',
      '--quiet',
      '--no-verify',
      '--allow-empty-message',
      '-m',
      message,
    );
    return this.git('rev-parse', 'HEAD').trim();
  }

  /**
   * Makes commits on a side branch (authored at their own dates), then merges it into main with
   * GitHub's merge commit subject at `mergedAt`, committed by GitHub as the merge button does.
   */
  mergePullRequest(
    number: number,
    branch: string,
    mergedAt: string,
    work: (repo: this) => void,
    merger: Person = githubUser('merger', 9),
  ): string {
    this.git('checkout', '--quiet', '-b', branch);
    work(this);
    this.git('checkout', '--quiet', 'main');
    this.gitWith(
      {
        GIT_AUTHOR_DATE: mergedAt,
        GIT_COMMITTER_DATE: mergedAt,
        GIT_AUTHOR_NAME: merger.name,
        GIT_AUTHOR_EMAIL: merger.email,
        GIT_COMMITTER_NAME: githubMerge.name,
        GIT_COMMITTER_EMAIL: githubMerge.email,
      },
      'merge',
      '--quiet',
      '--no-ff',
      '-m',
      `Merge pull request #${number} from acme/${branch}`,
      branch,
    );
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Removes the repository. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The fields of a generated change record. */
export interface ChangeFields {
  status?: string;
  type?: string;
  requester?: string;
  title?: string;
  cis?: string[];
  schedule?: { start: string; end: string };
  release?: string;
  problem?: string;
  checks?: Array<{ name: string; run: string }>;
  /** The post-implementation review verify writes back. */
  review?: { outcome: string; date: string; problemIssue?: string; run?: string };
}

/** A change record's YAML. */
export function changeYaml(id: string, fields: ChangeFields = {}): string {
  const lines = [
    'apiVersion: changeops/v1',
    'kind: Change',
    `id: ${id}`,
    `title: ${JSON.stringify(fields.title ?? `Change ${id}`)}`,
    `type: ${fields.type ?? 'normal'}`,
    `status: ${fields.status ?? 'proposed'}`,
    `requester: ${fields.requester ?? 'octocat'}`,
    `cis: [${(fields.cis ?? ['pg-payments']).join(', ')}]`,
    'risk: {likelihood: low, impact: medium}',
    'plan: {implementation: Roll out., test: Tested on staging., backout: Roll back.}',
  ];
  if (fields.schedule)
    lines.push(`schedule: {start: ${fields.schedule.start}, end: ${fields.schedule.end}}`);
  if (fields.release) lines.push(`release: ${fields.release}`);
  if (fields.problem) lines.push(`problem: ${JSON.stringify(fields.problem)}`);
  if (fields.checks) {
    lines.push('checks:');
    for (const check of fields.checks)
      lines.push(`  - name: ${check.name}`, `    run: ${JSON.stringify(check.run)}`);
  }
  if (fields.review) {
    const { outcome, date, problemIssue, run } = fields.review;
    lines.push('review:', `  outcome: ${outcome}`, `  date: ${date}`);
    if (problemIssue) lines.push(`  problemIssue: ${JSON.stringify(problemIssue)}`);
    if (run) lines.push(`  run: ${run}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A release record's YAML. */
export function releaseYaml(
  id: string,
  fields: {
    status?: string;
    changes?: string[];
    schedule?: { start: string; end: string };
    title?: string;
  } = {},
): string {
  const lines = [
    'apiVersion: changeops/v1',
    'kind: Release',
    `id: ${id}`,
    `title: ${JSON.stringify(fields.title ?? `Release ${id}`)}`,
    'version: "2026.3.0"',
    'type: minor',
    `status: ${fields.status ?? 'planned'}`,
    `changes: [${(fields.changes ?? []).join(', ')}]`,
  ];
  if (fields.schedule)
    lines.push(`schedule: {start: ${fields.schedule.start}, end: ${fields.schedule.end}}`);
  return `${lines.join('\n')}\n`;
}

/** A configuration item's YAML. */
export function ciYaml(
  id: string,
  fields: {
    criticality?: number;
    environment?: string;
    dependsOn?: string[];
    partOf?: string[];
  } = {},
): string {
  const lines = [
    'apiVersion: changeops/v1',
    'kind: ConfigurationItem',
    `id: ${id}`,
    `name: The ${id}`,
    'class: service',
    'owner: "@acme/ops"',
    `criticality: ${fields.criticality ?? 2}`,
    `environment: ${fields.environment ?? 'production'}`,
  ];
  if (fields.dependsOn) lines.push(`dependsOn: [${fields.dependsOn.join(', ')}]`);
  if (fields.partOf) lines.push(`partOf: [${fields.partOf.join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI in-process in a folder and captures what it prints, one entry per line. */
export async function runCli(...argv: string[]) {
  const { main } = await import('../../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (text) => out.push(...text.split('\n')),
    err: (text) => err.push(...text.split('\n')),
  });
  return { code, out, err, stdout: out.join('\n') };
}
