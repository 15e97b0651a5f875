import { describe, expect, it } from 'vitest';
import { annotationsPerLevel, pickAnnotations } from '../../../src/action/annotations.js';
import type { Finding, Severity } from '../../../src/records/finding.js';

const finding = (severity: Severity, file: string, line: number): Finding => ({
  file,
  line,
  column: 1,
  severity,
  rule: 'lead-time',
  message: `${severity} at ${file}:${line}`,
});

const many = (severity: Severity, file: string, count: number) =>
  Array.from({ length: count }, (_, i) => finding(severity, file, i + 1));

describe('pickAnnotations', () => {
  it('shows everything when each level has at most 10 findings', () => {
    const findings = [...many('error', 'a.yaml', 10), ...many('notice', 'a.yaml', 3)];
    expect(pickAnnotations(findings)).toEqual({ shown: findings, hidden: 0 });
  });

  it('shows 10 of each level, as GitHub does, and counts the rest', () => {
    const findings = [
      ...many('notice', 'a.yaml', 12),
      ...many('error', 'a.yaml', 11),
      ...many('warning', 'a.yaml', 2),
    ];
    const { shown, hidden } = pickAnnotations(findings);
    expect(annotationsPerLevel).toBe(10);
    expect(shown.map((f) => f.severity)).toEqual([
      ...Array(10).fill('error'),
      'warning',
      'warning',
      ...Array(10).fill('notice'),
    ]);
    expect(hidden).toBe(3);
  });

  it('puts findings on what the pull request touches before the rest of the estate', () => {
    const elsewhere = many('error', 'cmdb/old.yaml', 10);
    const touched = many('error', 'changes/CHG-1.yaml', 2);
    const { shown, hidden } = pickAnnotations(
      [...elsewhere, ...touched],
      (f) => f.file === 'changes/CHG-1.yaml',
    );
    expect(shown.slice(0, 2)).toEqual(touched);
    expect(shown).toHaveLength(10);
    expect(hidden).toBe(2);
  });
});
