import type { Finding } from './finding.js';
import { at } from './finding-at.js';
import type { RecordSource, SourceIndex } from './locate.js';
import { isTimeZone, suggestTimeZone } from './time-zone.js';
import type { Policy } from './types.generated.js';
import { show } from './wording.js';

/**
 * What the policy's schema cannot say about a schema-valid policy: every window's timezone is
 * one Intl knows, and every freeze ends after it starts. Loading runs these, so `validate`
 * reports each of them as `check` does, at its line, and a policy with one of them is unusable
 * like a policy that breaks its schema (the run fails closed rather than guessing).
 */
export function checkPolicy(policy: Policy, source: RecordSource, sources: SourceIndex): Finding[] {
  const findings: Finding[] = [];
  const record = { kind: 'Policy' as const, id: policy.id };
  (policy.windows ?? []).forEach((window, index) => {
    const zone = window.timezone;
    if (zone === undefined || isTimeZone(zone)) return;
    const guess = suggestTimeZone(zone);
    findings.push(
      at(
        sources,
        source,
        ['windows', index, 'timezone'],
        'policy',
        `windows[${index}].timezone of the window ${show(window.name)} is ${show(zone)}, which is not an IANA time zone such as UTC or Europe/Berlin${guess ? `; did you mean "${guess}"?` : ''}`,
        record,
      ),
    );
  });
  (policy.freezes ?? []).forEach((freeze, index) => {
    const start = Date.parse(freeze.start);
    const end = Date.parse(freeze.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end > start) return;
    findings.push(
      at(
        sources,
        source,
        ['freezes', index, 'end'],
        'policy',
        `freezes[${index}].end (${freeze.end}) of the freeze ${show(freeze.name)} is ${end === start ? 'its start' : `before its start (${freeze.start})`}; a freeze must end after it starts: swap the dates, or fix the one that is wrong`,
        record,
      ),
    );
  });
  return findings;
}
