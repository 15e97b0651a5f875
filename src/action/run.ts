import * as core from '@actions/core';
import { resolve } from 'node:path';
import { validate } from '../app/validate.js';
import type { Finding } from '../records/finding.js';
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
    default:
      throw new Error(`the command "${inputs.command}" is not available yet`);
  }
}

/** One annotation per finding, on the file and line. */
function annotate(findings: readonly Finding[]): void {
  for (const finding of findings) {
    const properties = {
      file: finding.file,
      startLine: finding.line,
      startColumn: finding.column,
      title: finding.rule,
    };
    if (finding.severity === 'error') core.error(finding.message, properties);
    else if (finding.severity === 'warning') core.warning(finding.message, properties);
    else core.notice(finding.message, properties);
  }
}
