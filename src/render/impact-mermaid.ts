import type { Impact } from '../impact/impact.js';
import { relationPhrase } from './impact-labels.js';

/** How the diagram is drawn. */
export interface MermaidOptions {
  /** Most CIs drawn (default 200): GitHub stops rendering much bigger diagrams. */
  maxNodes?: number;
  /** Left to right (default) or top down. */
  direction?: 'LR' | 'TD';
}

// Characters that mean nothing to mermaid inside a quoted label; everything else is written as a
// mermaid entity code (#60; for <), so a name can neither close the label (" ] `), start a
// directive or comment (% {), forge an entity (# ;), nor carry HTML (< > &) into the SVG.
const plain = /[^A-Za-z0-9 .,_/@+-]/gu;

/** Turns untrusted text into the inside of a quoted mermaid label. */
export function mermaidText(text: string, maxLength = 60): string {
  // Line breaks would end the statement; long names would push the diagram past mermaid's size cap.
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  const clipped = chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : flat;
  return clipped.replace(plain, (c) => `#${c.codePointAt(0)!};`);
}

/**
 * Renders an impact as a mermaid flowchart that GitHub draws: a node per impacted CI (generated
 * ids n0, n1, ... so no CI id reaches the syntax), an edge along each explanation labelled with
 * its relation, the named CIs as rounded and outlined nodes, critical CIs (criticality 1) in red
 * and saying so. Beyond `maxNodes` only the nearest CIs are drawn, and a note says how many not.
 * A CI whose parent is not drawn before it (an impact put together by hand) is drawn as a start
 * rather than with a dangling edge.
 */
export function renderImpactMermaid(impact: Impact, options: MermaidOptions = {}): string {
  const maxNodes = Math.max(1, options.maxNodes ?? 200);
  const lines = [`graph ${options.direction ?? 'LR'}`];
  const count = impact.impacted.length;
  if (count === 0) {
    lines.push('  empty["No CI of the CMDB is impacted"]');
    return `${lines.join('\n')}\n`;
  }
  // Entries are by depth, and a parent is always nearer than its child: the first maxNodes are a
  // closed forest, every edge drawn has both ends drawn.
  const shown = Math.min(count, maxNodes);
  const starts: string[] = [];
  const critical: string[] = [];
  const isStart = (p: number) => {
    const parent = impact.parents[p] ?? -1;
    return impact.impacted[p]!.relation === 'direct' || parent < 0 || parent >= p;
  };
  for (let p = 0; p < shown; p++) {
    const ci = impact.impacted[p]!;
    const parts = [mermaidText(ci.id, 63)];
    if (ci.name !== ci.id) parts.push(mermaidText(ci.name));
    if (ci.criticality === 1) {
      parts.push('critical');
      critical.push(`n${p}`);
    }
    const text = `"${parts.join('<br/>')}"`;
    if (isStart(p)) starts.push(`n${p}`);
    lines.push(isStart(p) ? `  n${p}([${text}])` : `  n${p}[${text}]`);
  }
  for (let p = 0; p < shown; p++) {
    const ci = impact.impacted[p]!;
    if (isStart(p) || ci.relation === 'direct') continue;
    lines.push(`  n${impact.parents[p]} -->|${relationPhrase[ci.relation]}| n${p}`);
  }
  if (shown < count) {
    const left = count - shown;
    lines.push(
      `  more["${left} more ${left === 1 ? 'CI' : 'CIs'} not shown, only the ${shown} nearest"]`,
    );
  }
  lines.push('  classDef start stroke-width:3px,stroke:#0969da');
  lines.push('  classDef critical fill:#ffebe9,stroke:#cf222e,color:#82071e');
  if (starts.length > 0) lines.push(`  class ${starts.join(',')} start`);
  if (critical.length > 0) lines.push(`  class ${critical.join(',')} critical`);
  return `${lines.join('\n')}\n`;
}
