import { describe, expect, it } from 'vitest';
import { assessOutcome } from '../../../src/problems/outcome.js';
import { renderVerifyNote, verifyNoteMarker } from '../../../src/problems/pull-request-note.js';
import { named } from './results.js';

const run = { id: 123, url: 'https://github.com/acme/shop/actions/runs/123' };

describe('renderVerifyNote', () => {
  it('links the problem issue when the change failed', () => {
    const assessment = assessOutcome({
      changeId: 'CHG-0042',
      checks: [named('payments-health', { exitCode: 3 })],
      deploy: 'success',
    });
    expect(renderVerifyNote({ assessment, run, problemIssue: 124 })).toBe(
      '<!-- changeops:verify change=CHG-0042 -->\n' +
        '**`CHG-0042` failed after implementation** ([run 123](https://github.com/acme/shop/actions/runs/123)): payments-health exited with code 3. Problem #124 tracks it.\n',
    );
  });

  it('says the checks passed', () => {
    const assessment = assessOutcome({
      changeId: 'CHG-0042',
      checks: [named('payments-health')],
      deploy: 'success',
    });
    expect(renderVerifyNote({ assessment, run })).toBe(
      '<!-- changeops:verify change=CHG-0042 -->\n' +
        '**`CHG-0042` passed its post-implementation review** ([run 123](https://github.com/acme/shop/actions/runs/123)).\n\n' +
        'CHG-0042 passed its post-implementation check (payments-health); the deploy step succeeded.\n',
    );
  });

  it('says a cancelled deploy leaves the change unverified', () => {
    const assessment = assessOutcome({ changeId: 'CHG-0042', checks: [], deploy: 'cancelled' });
    expect(renderVerifyNote({ assessment, run })).toContain('**`CHG-0042` is not verified**');
  });

  it('keeps a hostile check name inert', () => {
    const assessment = assessOutcome({
      changeId: 'CHG-0042',
      checks: [named('@acme/cab [x](https://evil.example)', { exitCode: 1 })],
    });
    const note = renderVerifyNote({ assessment, run, problemIssue: 124 });
    expect(note).not.toMatch(/@(?!\u200B)/);
    expect(note).toContain('&#91;x&#93;(https:\u200B//evil.example)');
  });

  it('is one sticky note per change', () => {
    expect(verifyNoteMarker('CHG-0042')).toBe('<!-- changeops:verify change=CHG-0042 -->');
    expect(() => verifyNoteMarker('CHG-0042 --> x')).toThrow(RangeError);
  });
});
