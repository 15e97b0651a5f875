import * as core from '@actions/core';
import { resolve } from 'node:path';
import { runCheck } from '../app/pull-request-check.js';
import { validate } from '../app/validate.js';
import { assertSupportedEvent, readRunContext } from '../github/event.js';
import { createClient } from '../github/octokit.js';
import type { Finding } from '../records/finding.js';
import { pickAnnotations } from './annotations.js';
import { parseInputs, type ActionInputs } from './inputs.js';

/** The action: parse inputs, run the command, report. The one place that calls setFailed. */
export async function run(): Promise<void> {
  try {
    const inputs = parseInputs();
    await dispatch(inputs);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function dispatch(inputs: ActionInputs): Promise<void> {
  const root = resolve(process.env.GITHUB_WORKSPACE ?? '.', inputs.dir);
  switch (inputs.command) {
    case 'validate': {
      const outcome = validate(root);
      annotate(outcome.findings);
      core.setOutput('valid', String(outcome.valid));
      core.setOutput(
        'errors',
        String(outcome.findings.filter((f) => f.severity === 'error').length),
      );
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
      const context = readRunContext();
      assertSupportedEvent('check', context);
      const client = inputs.token
        ? createClient({ token: inputs.token, log: (line) => core.info(line) })
        : undefined;
      const result = await runCheck({
        root,
        context,
        ...(client ? { client } : {}),
        botLogin: inputs.botLogin,
      });
      const { outcome } = result;
      const touched = new Set([
        ...outcome.changes.map((c) => c.file),
        ...outcome.releases.map((r) => r.file),
      ]);
      const hidden = annotate(outcome.findings, (f) => touched.has(f.file));
      let summary = result.summary;
      if (hidden > 0)
        summary += `\n\n${hidden} more findings are not annotated on the diff (GitHub shows 10 of each level per step); all are listed above.\n`;
      await core.summary.addRaw(summary, true).write();
      const impacted = [...new Set(outcome.changes.flatMap((c) => c.impact.ids))].sort();
      const levels = ['low', 'medium', 'high'];
      const risk = outcome.changes.reduce<string>(
        (top, c) =>
          c.riskLevel && levels.indexOf(c.riskLevel) > levels.indexOf(top) ? c.riskLevel : top,
        '',
      );
      const count = (severity: Finding['severity']) =>
        outcome.findings.filter((f) => f.severity === severity).length;
      core.setOutput('changes', JSON.stringify(outcome.changes.map((c) => c.id)));
      core.setOutput('impacted', JSON.stringify(impacted));
      core.setOutput('risk', risk);
      core.setOutput('errors', String(count('error')));
      core.setOutput('warnings', String(count('warning')));
      core.setOutput('notices', String(count('notice')));
      core.setOutput('valid', String(outcome.ok));
      if (result.comment) {
        core.setOutput('comment-id', String(result.comment.commentId));
        core.info(`pull request comment ${result.comment.commentId}: ${result.comment.action}`);
      }
      if (result.commentProblem) core.warning(result.commentProblem);
      if (!outcome.policyUsable)
        throw new Error('changeops.yaml cannot be used; see the errors in the report');
      if (!outcome.ok)
        throw new Error(
          `${count('error')} error-level findings; see the pull request comment or the job summary`,
        );
      return;
    }
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
