import * as core from '@actions/core';
import { resolve } from 'node:path';
import { check } from '../app/check.js';
import { NoRecordsError } from '../app/errors/no-records-error.js';
import { validate } from '../app/validate.js';
import { tokenKind } from '../github/identity.js';
import { createClient } from '../github/octokit.js';
import type { Finding } from '../records/finding.js';
import { pickAnnotations } from './annotations.js';
import { parseInputs, type ActionInputs } from './inputs.js';
import { runVerifyCommand } from './verify.js';
import { runReportCommand } from './report.js';

/** The action: parse inputs, run the command, report. The one place that calls setFailed. */
export async function run(): Promise<void> {
  try {
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
      const outcome = validate(root);
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
      const result = await check({
        root,
        run: {
          env: process.env,
          botLogin: inputs.botLogin,
          tokenKind: tokenKind(inputs.token),
          dir: inputs.dir,
          ...(client ? { client } : {}),
        },
      });
      const { outcome, outputs } = result;
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
    case 'verify':
      return runVerifyCommand(inputs, root);
    case 'report':
      return runReportCommand(inputs, root);
    default:
      throw new Error(`the command "${inputs.command}" is not available yet`);
  }
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
