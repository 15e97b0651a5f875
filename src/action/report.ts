import * as core from '@actions/core';
import { report } from '../app/report.js';
import { createClient } from '../github/octokit.js';
import { renderKpiMarkdown } from '../render/kpi-markdown.js';
import type { ActionInputs } from './inputs.js';

/**
 * `command: report`: the KPIs of the window from the checked-out branch's history, with the
 * problem issues GitHub lists when there is a token; the outputs give the main numbers and the
 * whole report as JSON, the job summary shows them with mermaid charts. A token GitHub refuses
 * costs only the issues it would have listed: a warning says so.
 */
export async function runReportCommand(inputs: ActionInputs, root: string): Promise<void> {
  const [owner = '', repo = ''] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const client =
    inputs.token && owner && repo
      ? createClient({ token: inputs.token, log: (line) => core.info(line) })
      : undefined;
  const ref = process.env.GITHUB_REF ?? '';
  const result = await report({
    root,
    // The checked-out commit, named as the workflow's branch when it runs on one.
    branch: {
      ref: 'HEAD',
      name: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : 'HEAD',
    },
    ...(inputs.since !== undefined ? { since: inputs.since } : {}),
    ...(inputs.until !== undefined ? { until: inputs.until } : {}),
    ...(client
      ? { github: { client, repository: { owner, repo }, botLogin: inputs.botLogin } }
      : {}),
  });
  const kpis = result.report;
  const number = (value: number | null) => (value === null ? '' : String(value));
  core.setOutput('success-rate', number(kpis.successRate));
  core.setOutput('emergency-ratio', number(kpis.emergencyRatio));
  core.setOutput('changes-total', String(kpis.changes.total));
  core.setOutput('problems', String(kpis.problems.ledToProblems));
  core.setOutput('kpis', JSON.stringify(kpis));
  await core.summary.addRaw(renderKpiMarkdown(kpis), true).write();
  if (client) core.info(`read the problem issues in ${result.requests} API request(s)`);
  // As with a token GitHub refuses: the report stands, the count it could not complete is a
  // warning, which the run's page shows.
  else
    core.warning(
      'the token input is empty, so the problem issues on GitHub were not read: only those the records name (review.problemIssue) are counted',
      { title: 'changeops report' },
    );
  // A token GitHub refuses costs the problem issues it lists, never the report: a warning.
  for (const note of kpis.history.notes)
    if (note === result.githubUnread) core.warning(note, { title: 'changeops report' });
    else core.notice(note, { title: 'changeops report' });
  if (!result.policyUsable)
    throw new Error(
      'changeops.yaml cannot be used, so collisions and freeze exceptions were not counted',
    );
}
