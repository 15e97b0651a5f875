import * as core from '@actions/core';
import { verify } from '../app/verify.js';
import { tokenKind } from '../github/identity.js';
import { createClient } from '../github/octokit.js';
import type { ActionInputs } from './inputs.js';
import { parseVerifyInputs } from './verify-inputs.js';

/**
 * The action's `verify`: parses its inputs, runs the use case, writes the job summary (where
 * the checks' output goes: never the log, so no check can print a workflow command into it),
 * sets `outcome`, `problem-issue`, `problem-issues` and `changes`, and throws when the change
 * failed or is not verified, for run() to fail the step.
 */
export async function runVerifyCommand(inputs: ActionInputs, root: string): Promise<void> {
  const options = parseVerifyInputs();
  // verify looks things up that may not exist yet (the label, a branch): a 404 there is an
  // answer, not an error worth a log line.
  const log = (line: string) => {
    if (!/^GET \S+ - 404 with id /.test(line)) core.info(line);
  };
  const client = inputs.token ? createClient({ token: inputs.token, log }) : undefined;
  const result = await verify({
    ...options,
    root,
    run: {
      env: process.env,
      botLogin: inputs.botLogin,
      tokenKind: tokenKind(inputs.token),
      ...(client ? { client } : {}),
    },
  });
  for (const line of result.log) core.info(line);
  await core.summary.addRaw(result.summary, true).write();
  const { outputs } = result;
  core.setOutput('outcome', outputs.outcome);
  core.setOutput(
    'problem-issue',
    outputs.problemIssue === undefined ? '' : String(outputs.problemIssue),
  );
  core.setOutput('problem-issues', JSON.stringify(outputs.problemIssues));
  core.setOutput('changes', JSON.stringify(outputs.changes));
  for (const note of result.report.notes) core.warning(note.replace(/[\r\n]+/g, ' '));
  if (result.failure) throw new Error(result.failure);
}
