import * as core from '@actions/core';
import { resolve } from 'node:path';
import { checkWorkflowRun } from '../app/check-run.js';
import { NoRecordsError } from '../app/errors/no-records-error.js';
import { gate, type GateRunResult } from '../app/gate.js';
import { validateRepository } from '../app/validate.js';
import { mintAppToken } from '../github/app-token.js';
import { tokenKind } from '../github/identity.js';
import { createClient } from '../github/octokit.js';
import { approvalsText } from '../render/approvals.js';
import type { Finding } from '../records/finding.js';
import { pickAnnotations } from './annotations.js';
import { parseInputs, secretValues, type ActionInputs } from './inputs.js';
import { runVerifyCommand } from './verify.js';
import { runReportCommand } from './report.js';
import { version } from '../version.js';

/** The action: parse inputs, run the command, report. The one place that calls setFailed. */
export async function run(): Promise<void> {
  try {
    // First, so that no later line of the log (an error, a retry, a debug line) shows a credential.
    for (const secret of secretValues()) core.setSecret(secret);
    // Then which changeops ran, before anything else it says (the tag a workflow names can move).
    core.info(`changeops ${version}`);
    const inputs = parseInputs();
    await dispatch(inputs);
  } catch (error) {
    if (error instanceof NoRecordsError) core.setFailed(error.sentence('the "dir" input'));
    else core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function dispatch(inputs: ActionInputs): Promise<void> {
  const root = resolve(process.env.GITHUB_WORKSPACE ?? '.', inputs.dir);
  switch (inputs.command) {
    case 'validate': {
      // A workflow's checkout is a commit: git compares commits, never stats the working tree.
      const outcome = await validateRepository(root, {
        cache: inputs.cache !== false,
        committed: true,
      });
      annotate(outcome.findings);
      core.setOutput('valid', String(outcome.valid));
      core.setOutput('errors', String(outcome.counts.errors));
      await core.summary
        .addHeading('changeops validate', 2)
        .addRaw(
          `${outcome.records} records in ${outcome.files} files: ${outcome.valid ? 'valid' : 'invalid'}`,
          true,
        )
        .write();
      if (!outcome.policyUsable)
        throw new Error('changeops.yaml cannot be used; see the errors above');
      if (!outcome.valid) throw new Error('the records are invalid; see the annotations');
      return;
    }
    case 'check': {
      const client = inputs.token
        ? createClient({ token: inputs.token, log: (line) => core.info(line) })
        : undefined;
      const result = await checkWorkflowRun(
        { root, cache: inputs.cache !== false, workingTree: false },
        {
          env: process.env,
          botLogin: inputs.botLogin,
          tokenKind: tokenKind(inputs.token),
          dir: inputs.dir,
          ...(client ? { client } : {}),
        },
      );
      const { outcome } = result;
      const outputs = result.outputs();
      // The report first (annotations, outputs, job summary), then the comment: a token GitHub
      // refuses, or none at all, costs the comment and never the report.
      const touched = new Set(outputs.touchedFiles);
      const hidden = annotate(outcome.findings, (f) => touched.has(f.file));
      core.setOutput('changes', JSON.stringify(outputs.changes));
      core.setOutput('impacted', JSON.stringify(outputs.impacted));
      core.setOutput('risk', outputs.risk ?? '');
      core.setOutput('errors', String(outputs.errors));
      core.setOutput('warnings', String(outputs.warnings));
      core.setOutput('notices', String(outputs.notices));
      core.setOutput('valid', String(outputs.valid));
      let summary = result.report?.summary ?? '';
      if (hidden > 0)
        summary += `\n\n${hidden} more findings are not annotated on the diff (GitHub shows 10 of each level per step); all are listed above.\n`;
      await core.summary.addRaw(summary, true).write();
      const published = result.publish ? await result.publish() : {};
      if (published.comment) {
        core.setOutput('comment-id', String(published.comment.commentId));
        core.info(
          `pull request comment ${published.comment.commentId}: ${published.comment.action}`,
        );
      }
      if (published.problem) core.warning(published.problem);
      if (!outcome.policyUsable)
        throw new Error(
          outcome.policyFrom === 'base'
            ? "the base branch's changeops.yaml is the policy in force and cannot be used; fix it on the base branch (see the errors in the report)"
            : 'changeops.yaml cannot be used; see the errors in the report',
        );
      if (!outcome.ok)
        throw new Error(
          `${outputs.errors} error-level findings; see the pull request comment or the job summary`,
        );
      return;
    }
    case 'gate':
      return runGate(inputs, root);
    case 'verify':
      return runVerifyCommand(inputs, root);
    case 'report':
      return runReportCommand(inputs, root);
    default:
      throw new Error(`the command "${inputs.command}" is not available yet`);
  }
}

/**
 * The gate: with app-id and app-private-key, mints the App's installation token for this
 * repository (its reads and writes go under `<app-slug>[bot]`); otherwise uses the token input,
 * and the gate is advisory. Maps the result to the check's outputs plus `approval`, the job
 * summary and the log; fails the step when the check fails, the gate cannot evaluate, or the
 * status could not be posted.
 */
async function runGate(inputs: ActionInputs, root: string): Promise<void> {
  const log = (line: string) => core.info(line);
  let token = inputs.token;
  let botLogin = inputs.botLogin;
  if (inputs.app) {
    // The runner masks a secret line by line only when each line is registered on its own.
    core.setSecret(inputs.app.privateKey);
    for (const line of inputs.app.privateKey.split(/\r?\n|\\n/))
      if (line.trim().length > 8 && !line.startsWith('-----')) core.setSecret(line.trim());
    const [owner = '', repo = ''] = (process.env.GITHUB_REPOSITORY ?? '/').split('/');
    const minted = await mintAppToken({
      appId: inputs.app.id,
      privateKey: inputs.app.privateKey,
      target: { owner, repo },
      baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
    });
    core.setSecret(minted.token);
    token = minted.token;
    botLogin = minted.botLogin;
    log(
      `gate runs as the GitHub App ${minted.slug} (${botLogin}, installation ${minted.installationId}; ${minted.requests} requests to mint its token)`,
    );
  } else {
    log(
      'gate runs without a GitHub App identity: its changeops/cab status is advisory (any workflow with statuses: write can post the same); set app-id and app-private-key to enforce it',
    );
  }
  // Without a token the report is still decided and shown; the gate fails closed, saying why.
  const client = token ? createClient({ token, log }) : undefined;
  const result = await gate({
    root,
    run: {
      env: process.env,
      ...(client ? { client } : {}),
      botLogin,
      appIdentity: inputs.app !== undefined,
      tokenKind: inputs.app ? 'installation' : tokenKind(token),
      dir: inputs.dir,
    },
  });
  await reportGate(result);
}

async function reportGate(result: GateRunResult): Promise<void> {
  if (result.skipped) {
    core.info(result.skipped);
    core.setOutput('approval', '');
    return;
  }
  const summaries: string[] = [];
  const retrospectiveProblems: string[] = [];
  let failedCheck = false;
  let policyUnusable = false;
  for (const entry of result.pullRequests) {
    const { decision } = entry;
    const touched = new Set(decision.outputs().touchedFiles);
    const hidden = annotate(decision.outcome.findings, (f) => touched.has(f.file));
    let summary = decision.report?.summary ?? '';
    if (hidden > 0)
      summary += `\n\n${hidden} more findings are not annotated on the diff (GitHub shows 10 of each level per step); all are listed above.\n`;
    summaries.push(result.pullRequests.length > 1 ? `## #${entry.number}\n\n${summary}` : summary);
    for (const line of approvalsText(decision.approvals).trimEnd().split('\n')) core.info(line);
    if (entry.comment) {
      core.setOutput('comment-id', String(entry.comment.commentId));
      core.info(`pull request comment ${entry.comment.commentId}: ${entry.comment.action}`);
    }
    if (entry.commentProblem) core.warning(entry.commentProblem);
    if (entry.retrospectiveProblem) retrospectiveProblems.push(entry.retrospectiveProblem);
    for (const issue of entry.retrospectives ?? [])
      core.info(
        `retrospective review of ${issue.change}: issue #${issue.number} (${issue.action})`,
      );
    if (!decision.outcome.ok) failedCheck = true;
    if (!decision.outcome.policyUsable) policyUnusable = true;
  }
  const outputs = result.outputs;
  if (outputs) {
    core.setOutput('changes', JSON.stringify(outputs.changes));
    core.setOutput('impacted', JSON.stringify(outputs.impacted));
    core.setOutput('risk', outputs.risk ?? '');
    core.setOutput('errors', String(outputs.errors));
    core.setOutput('warnings', String(outputs.warnings));
    core.setOutput('notices', String(outputs.notices));
    core.setOutput('valid', String(outputs.valid));
  }
  core.setOutput('approval', result.approval);
  if (result.verdict) core.setOutput('status-description', result.verdict.sentence);
  if (result.status)
    core.info(`${'changeops/cab'} on ${result.statusSha?.slice(0, 12)}: ${result.status.action}`);
  await core.summary.addRaw(summaries.join('\n\n'), true).write();
  // The report is out (outputs, summary, annotations): now what could not be read or written.
  if (result.authorProblem) core.warning(result.authorProblem);
  for (const problem of retrospectiveProblems) core.warning(problem);
  if (result.statusProblem) throw new Error(result.statusProblem);
  if (retrospectiveProblems.length > 0) throw new Error(retrospectiveProblems[0]);
  if (policyUnusable)
    throw new Error(
      "the base branch's changeops.yaml is the policy in force and cannot be used; fix it on the base branch (see the errors in the report)",
    );
  if (result.approval === 'error')
    throw new Error(`the gate cannot evaluate: ${result.verdict?.sentence ?? 'see the report'}`);
  if (failedCheck)
    throw new Error(
      `${outputs?.errors ?? 0} error-level findings; see the pull request comment or the job summary`,
    );
}

/** Annotates the findings GitHub will show (10 of each level), most relevant first; returns how many were left out. */
function annotate(findings: readonly Finding[], relevant?: (finding: Finding) => boolean): number {
  const { shown, hidden } = pickAnnotations(findings, relevant);
  for (const finding of shown) {
    const properties = {
      file: finding.file,
      startLine: finding.line,
      startColumn: finding.column,
      title: `changeops ${finding.rule}`,
    };
    if (finding.severity === 'error') core.error(finding.message, properties);
    else if (finding.severity === 'warning') core.warning(finding.message, properties);
    else core.notice(finding.message, properties);
  }
  return hidden;
}
