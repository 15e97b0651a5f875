import { describe, expect, it } from 'vitest';
import { countSeverities, type Finding, type Severity } from '../../../src/records/finding.js';
import { capFindings, findingCaps, omittedFinding } from '../../../src/records/finding-cap.js';

const finding = (file: string, line: number, severity: Severity = 'error'): Finding => ({
  file,
  line,
  column: 1,
  severity,
  rule: 'schema',
  message: `problem at ${line}`,
});
const many = (file: string, n: number, severity: Severity = 'error') =>
  Array.from({ length: n }, (_, i) => finding(file, i + 1, severity));

describe('capFindings', () => {
  it('lists at most 100 findings of a file and one that stands for the rest', () => {
    const capped = capFindings(many('cmdb/a.yaml', 250));
    expect(capped).toHaveLength(findingCaps.perFile + 1);
    expect(capped.at(-1)).toEqual({
      file: 'cmdb/a.yaml',
      line: 101,
      column: 1,
      severity: 'error',
      rule: 'too-many-findings',
      message:
        '150 more findings in this file are not listed (150 errors): changeops lists at most 100 a file; fix the ones listed and run it again',
      omitted: { errors: 150, warnings: 0, notices: 0 },
    });
  });

  it('keeps the counts the totals, listed or not', () => {
    const all = [...many('a.yaml', 150, 'warning'), ...many('b.yaml', 2_000)];
    expect(countSeverities(capFindings(all))).toEqual(countSeverities(all));
  });

  it('lists the errors of a file before its warnings and notices', () => {
    const all = [...many('a.yaml', 120, 'notice'), ...many('a.yaml', 3, 'error')];
    const capped = capFindings(all);
    expect(capped.filter((f) => f.severity === 'error' && !f.omitted)).toHaveLength(3);
    expect(capped.at(-1)).toMatchObject({
      severity: 'notice',
      omitted: { errors: 0, warnings: 0, notices: 23 },
    });
  });

  it('stands for errors as an error, so a run whose errors are not listed still fails', () => {
    const all = [...many('a.yaml', 100, 'warning'), finding('a.yaml', 500)];
    const capped = capFindings(all, { perFile: 100, perRun: 1_000 });
    // The error is listed, a warning is not.
    expect(capped.filter((f) => f.severity === 'error')).toHaveLength(1);
    expect(capped.at(-1)).toMatchObject({ severity: 'warning', rule: 'too-many-findings' });
  });

  it('lists at most 1,000 findings in a run, the rest in one finding that names how many files', () => {
    const all = Array.from({ length: 30 }, (_, f) => many(`cmdb/f${f}.yaml`, 50)).flat();
    const capped = capFindings(all);
    expect(capped).toHaveLength(findingCaps.perRun);
    expect(capped.at(-1)).toMatchObject({
      file: 'cmdb/f19.yaml',
      line: 50,
      message:
        '501 more findings in 11 files are not listed (501 errors): changeops lists at most 1,000 a run; fix the ones listed and run it again',
    });
    expect(countSeverities(capped).errors).toBe(1_500);
  });

  it('folds in the cap the loader already put on a file', () => {
    const early = omittedFinding(
      { file: 'a.yaml', line: 101, column: 1 },
      { errors: 9_900, warnings: 0, notices: 0 },
      'file',
    );
    const capped = capFindings([...many('a.yaml', 100), early, finding('a.yaml', 200)]);
    expect(capped).toHaveLength(101);
    expect(capped.at(-1)).toMatchObject({
      line: 101,
      omitted: { errors: 9_901, warnings: 0, notices: 0 },
    });
  });

  it('leaves a short list as it is', () => {
    const all = many('a.yaml', 3);
    expect(capFindings(all)).toEqual(all);
  });
});
