import type { Impact } from '../impact/impact.js';
import { relationPhrase, unknownLine } from './impact-labels.js';
import { printable } from './terminal.js';

/** One line's words for a CI: its id, its name when that says more, and a mark when critical. */
function label(impact: Impact, p: number): string {
  const ci = impact.impacted[p]!;
  const name = ci.name !== ci.id ? ` (${printable(ci.name)})` : '';
  const critical = ci.criticality === 1 ? ' [critical]' : '';
  const hop = ci.relation === 'direct' ? '' : `${relationPhrase[ci.relation]} `;
  return `${hop}${printable(ci.id)}${name}${critical}`;
}

/**
 * How many levels the tree indents: deeper CIs stay at this indentation and say their depth, so a
 * 20,000-CI chain prints 20,000 short lines rather than 800 million spaces.
 */
export const maxTreeIndent = 24;

/**
 * Renders an impact as an indented tree, like `tree`: each named CI is a root, and under every CI
 * the CIs its change reaches next, each line continuing the sentence of the line above
 * ("pg-payments / is depended on by payments-api / is part of online-shop"). Past
 * `maxTreeIndent` levels the lines stop moving right and start with their depth (`[depth 25]`).
 */
export function renderImpactTree(impact: Impact): string {
  const count = impact.impacted.length;
  if (count === 0) {
    return `${['No CI of the CMDB is impacted.', ...unknownLine(impact.unknown)].join('\n')}\n`;
  }
  const children: number[][] = Array.from({ length: count }, () => []);
  const roots: number[] = [];
  // Entries are by depth then id, so each child list comes out ordered by id.
  for (let p = 0; p < count; p++) {
    const parent = impact.parents[p] ?? -1;
    // A parent out of place (an impact put together by hand) makes a root rather than a crash.
    if (parent < 0 || parent >= p) roots.push(p);
    else children[parent]!.push(p);
  }
  const lines: string[] = [];
  // Depth-first without recursion: an explanation chain may be as long as the CMDB.
  const stack: { p: number; prefix: string; last: boolean; level: number }[] = [];
  for (let r = roots.length - 1; r >= 0; r--)
    stack.push({ p: roots[r]!, prefix: '', last: true, level: 0 });
  while (stack.length > 0) {
    const { p, prefix, last, level } = stack.pop()!;
    const deep = level > maxTreeIndent ? `[depth ${level}] ` : '';
    lines.push(
      level === 0
        ? label(impact, p)
        : `${prefix}${last ? '└── ' : '├── '}${deep}${label(impact, p)}`,
    );
    const below =
      level === 0 ? '' : level >= maxTreeIndent ? prefix : `${prefix}${last ? '    ' : '│   '}`;
    const kids = children[p]!;
    for (let k = kids.length - 1; k >= 0; k--) {
      stack.push({ p: kids[k]!, prefix: below, last: k === kids.length - 1, level: level + 1 });
    }
  }
  lines.push('', count === 1 ? '1 CI' : `${count} CIs`, ...unknownLine(impact.unknown));
  return `${lines.join('\n')}\n`;
}
