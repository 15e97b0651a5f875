import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeText,
  inlineCode,
  tableCell,
  ZERO_WIDTH_SPACE as z,
} from '../../../src/render/markdown.js';

describe('escapeText', () => {
  it.each<[string, unknown, string]>([
    [
      'keeps plain prose as it is',
      'Upgrade the payments database to PostgreSQL 17.',
      'Upgrade the payments database to PostgreSQL 17.',
    ],
    [
      'keeps ids, dates and paths readable',
      'pg-payments on 2026-12-02 in cmdb/db.yaml',
      'pg-payments on 2026-12-02 in cmdb/db.yaml',
    ],
    ['starts no heading', '# Approved by CAB', '&#35; Approved by CAB'],
    ['starts no block quote', '> approved', '&gt; approved'],
    ['starts no bullet list', '- item', '&#45; item'],
    ['starts no plus list', '+ item', '&#43; item'],
    ['starts no ordered list', '1. item', '1&#46; item'],
    ['starts no ordered list with a parenthesis', '12) item', '12&#41; item'],
    ['starts no setext underline', '===', '&#61;=='],
    ['makes no table row', '| a | b |', '&#124; a &#124; b &#124;'],
    ['makes no link', '[click](https://evil.example)', `&#91;click&#93;(https:${z}//evil.example)`],
    ['makes no image', '![x](y)', '!&#91;x&#93;(y)'],
    ['makes no reference link', '[x][1]', '&#91;x&#93;&#91;1&#93;'],
    ['makes no footnote', 'see[^1]', 'see&#91;^1&#93;'],
    ['makes no autolink', '<https://evil.example>', `&lt;https:${z}//evil.example&gt;`],
    ['makes no bare URL link', 'see https://evil.example now', `see https:${z}//evil.example now`],
    ['makes no www link', 'www.evil.example', `www${z}.evil.example`],
    ['makes no email link', 'mail cab@evil.example', `mail cab@${z}evil.example`],
    ['makes no HTML', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['opens no details', '<details open>', '&lt;details open&gt;'],
    ['writes no HTML comment', '<!-- changeops:report -->', '&lt;!-- changeops:report --&gt;'],
    ['decodes no entity into a mention', '&#64;acme', `&amp;&#35;${z}64;acme`],
    [
      'makes no emphasis',
      '**bold** _it_ ~~gone~~',
      '&#42;&#42;bold&#42;&#42; &#95;it&#95; &#126;&#126;gone&#126;&#126;',
    ],
    ['opens no code span', 'a `b` c', 'a &#96;b&#96; c'],
    ['opens no code fence', '```js', '&#96;&#96;&#96;js'],
    ['opens no math', '$x^2$', '&#36;x^2&#36;'],
    ['writes backslashes as they are', 'C:\\temp\\', 'C:&#92;temp&#92;'],
    ['mentions nobody', '@acme/cab please approve', `@${z}acme/cab please approve`],
    [
      'shows no emoji shortcode as an emoji',
      ':white_check_mark: Approved by the CAB :+1: :100:',
      `:${z}white&#95;check&#95;mark: Approved by the CAB :${z}+1: :${z}100:`,
    ],
    ['keeps the colons of a time', 'from 22:30:00Z', 'from 22:30:00Z'],
    ['refers to no issue', 'fixes #123', `fixes &#35;${z}123`],
    ['refers to no other repository', 'acme/shop#1', `acme/shop&#35;${z}1`],
    ['refers to no GH- issue', 'see GH-42', `see GH-${z}42`],
    ['links no commit', 'reverts deadbeef12', `reverts deadbe${z}ef12`],
    [
      'keeps numbers and hex-looking words without digits',
      '1048576 bytes, defaced',
      '1048576 bytes, defaced',
    ],
    ['collapses newlines', 'one\n# two\r\n\r\n- three', 'one &#35; two - three'],
    ['removes bidi overrides and controls', 'ab\u202Ecd\u0000e\u2066f', 'abcdef'],
    ['replaces a lone surrogate', 'a\uD800b', 'a\uFFFDb'],
    ['shows nothing for nothing', undefined, ''],
    ['shows a number', 42, '42'],
  ])('%s', (_name, input, output) => {
    expect(escapeText(input)).toBe(output);
  });

  it('caps the length in code points, ending with an ellipsis', () => {
    expect(escapeText('x'.repeat(2000))).toBe(`${'x'.repeat(999)}…`);
    expect(escapeText('abcdef', { maxLength: 4 })).toBe('abc…');
    expect(escapeText('abcd', { maxLength: 4 })).toBe('abcd');
    // Never half of a surrogate pair.
    expect(escapeText('😀😀😀', { maxLength: 2 })).toBe('😀…');
    expect(escapeText('😀😀', { maxLength: 2 })).toBe('😀😀');
  });

  it('never leaves a markdown-active character or a newline, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        const out = escapeText(input);
        expect(out).not.toMatch(/[\n\r<>`*_[\]|~\\$]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;|#\d+;)/);
        expect(out).not.toMatch(/@(?!\u200B)/);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      }),
    );
  });
});

describe('tableCell', () => {
  it('keeps a pipe from splitting the cell and caps at 200', () => {
    expect(tableCell('a | b')).toBe('a &#124; b');
    expect(tableCell('y'.repeat(300))).toBe(`${'y'.repeat(199)}…`);
  });
});

describe('inlineCode', () => {
  it.each<[string, unknown, string]>([
    ['fences plain text with one backtick', 'pg-payments', '`pg-payments`'],
    ['uses a longer fence than any run inside', 'a`b``c', '```a`b``c```'],
    ['pads a backtick at either end', '`x`', '`` `x` ``'],
    ['cannot be closed by a fence inside', '```', '```` ``` ````'],
    ['breaks a marker comment', '<!-- changeops:report -->', `\`<${z}!-- changeops:report -->\``],
    ['collapses newlines', 'a\n```\nb', '````a ``` b````'],
    ['shows nothing for nothing', '', ''],
  ])('%s', (_name, input, output) => {
    expect(inlineCode(input)).toBe(output);
  });

  it('escapes pipes in a table cell so the cell keeps them', () => {
    expect(inlineCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(inlineCode('a\\|b', { inTable: true })).toBe('`a\\\\|b`');
    expect(inlineCode('a|b')).toBe('`a|b`');
  });

  it('is never closed early, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (input) => {
        const out = inlineCode(input);
        if (out === '') return;
        const fence = /^`+/.exec(out)![0];
        const inner = out.slice(fence.length, -fence.length);
        expect(out.endsWith(fence)).toBe(true);
        // No run of exactly the fence's length inside: CommonMark would close the span there.
        for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
        expect(out).not.toContain('\n');
      }),
    );
  });
});
