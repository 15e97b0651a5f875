import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { everyPass, workflowSafe } from '../../../src/render/terminal.js';
import { workflowCommandLines } from '../../fixtures/workflow-commands.js';

describe('workflowSafe, the CLI output boundary', () => {
  it.each([
    ['a command at the start of a line', '::add-mask::hunter2', '\\u003a:add-mask::hunter2'],
    [
      'after blanks, which the runner trims',
      ' \t::set-output name=x::1',
      ' \t\\u003a:set-output name=x::1',
    ],
    ['after an ideographic space', '\u3000::warning::x', '\u3000\\u003a:warning::x'],
    ['on the second line', 'ok\n::error::x', 'ok\n\\u003a:error::x'],
    ['after a lone CR, a new line for the runner', 'ok\r::error::x', 'ok\\u000d::error::x'],
    ['after a CRLF', 'ok\r\n::error::x', 'ok\n\\u003a:error::x'],
    ['after a line separator', 'ok\u2028::error::x', 'ok\\u2028::error::x'],
    ['after a NEL', 'ok\u0085::error::x', 'ok\\u0085::error::x'],
    ['split by a zero-width space', ':\u200b:error::x', ':\\u200b:error::x'],
    ['behind a zero-width space', '\u200b::error::x', '\\u200b::error::x'],
    ['the legacy form mid-line', 'title ##[add-mask]hunter2', 'title ##\\u005badd-mask]hunter2'],
    ['the legacy form twice', '###[a]##[b]', '###\\u005ba]##\\u005bb]'],
    ['the legacy form split by a soft hyphen', '#\u00ad#[add-mask]x', '#\\u00ad#[add-mask]x'],
    ['the legacy form split by a zero-width space', '#\u200b#[add-mask]x', '#\\u200b#[add-mask]x'],
    ['the legacy form split before its bracket', '##\u200b[add-mask]x', '##\\u200b[add-mask]x'],
    ['behind blanks and a zero-width space', ' \u200b ::error::x', ' \\u200b ::error::x'],
    ['a terminal escape', 'red \u001b[31m', 'red \\u001b[31m'],
    ['a tag character (two UTF-16 units)', 'a\u{e0001}b', 'a\\udb40\\udc01b'],
  ])('makes %s inert', (_, text, inert) => {
    expect(workflowSafe(text)).toBe(inert);
    expect(workflowCommandLines(workflowSafe(text))).toEqual([]);
  });

  it.each([
    ['plain text', 'CHG-0042  Upgrade the payments database (normal, proposed)'],
    ['colons mid-line', 'changes/CHG-1.yaml:5:7: error: "a::b" is not a CI'],
    ['a tree', '└── is depended on by payments-api (Payments API)'],
    ['emoji with selectors and joiners', '⚠️ ❤️ 👩‍💻 ✔︎ ✓ ✗'],
    ['tabs and newlines', 'a\tb\nc'],
    // How the markdown of release notes and evidence packs breaks mentions, references, shas.
    [
      'the zero-width spaces of inert markdown',
      'by @\u200boctocat, fixes &#35;\u200b123 in 6126bb\u200bff',
    ],
    ['a shortcode kept as text', ':\u200bwhite_check_mark: Approved by the CAB'],
  ])('leaves %s as it is', (_, text) => {
    expect(workflowSafe(text)).toBe(text);
  });

  it('never lets a line be a workflow command, whatever the text', () => {
    const hostile = fc.string({
      unit: fc.constantFrom(
        ':',
        ':',
        '#',
        '#',
        '[',
        ' ',
        '\t',
        '\n',
        '\r',
        '\u0085',
        '\u2028',
        '\u200b',
        '\u00ad',
        '\u3000',
        '\ufeff',
        'a',
        '\u{e0001}',
      ),
      maxLength: 30,
    });
    fc.assert(
      fc.property(hostile, (text) => {
        expect(workflowCommandLines(workflowSafe(text))).toEqual([]);
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps JSON valid and meaning the same, whatever the strings in it', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          ':',
          '#',
          '[',
          '\n',
          '\r',
          '\u2028',
          '\u0085',
          '\u007f',
          '\u200b',
          '\u{e0001}',
          '\u{1f469}\u200d\u{1f4bb}',
        ),
        fc.string({ unit: 'binary', maxLength: 2 }),
      ),
      maxLength: 20,
    });
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }))),
        (value) => {
          for (const json of [JSON.stringify(value, null, 2), JSON.stringify(value)]) {
            const safe = workflowSafe(json);
            expect(JSON.parse(safe)).toEqual(JSON.parse(json));
            expect(workflowCommandLines(safe)).toEqual([]);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('answers what every pass answers, whatever the text: the quick test skips only texts they leave alone (property)', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(':', '#', '[', ' ', '\t', '\n', '\r', '\u0085', '\u2028', '\u2029'),
        fc.constantFrom('\u200b', '\u200d', '\ufe0f', '\u00ad', '\ufeff', '\u3000', '\u{e0001}'),
        fc.constantFrom('a', '·', '✓', '└', '\u{1f469}'),
        fc.string({ unit: 'binary', maxLength: 2 }),
      ),
      maxLength: 24,
    });
    fc.assert(
      fc.property(text, (value) => {
        expect(workflowSafe(value)).toBe(everyPass(value));
      }),
      { numRuns: 10_000 },
    );
  });
});
