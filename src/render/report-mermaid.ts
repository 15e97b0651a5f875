import type { Impact } from '../impact/impact.js';
import { renderImpactMermaid } from './impact-mermaid.js';

/**
 * The mermaid graph of a change's impact in the report: drawn by the same renderer as
 * `changeops impact --format mermaid` (node ids generated, every label escaped for mermaid, see
 * impact-mermaid.ts) from the impact the evaluation computed, inside a fenced block. Its labels
 * never hold a backtick, so nothing from a record can close the fence.
 */

/** How many CIs a graph draws; the CI table lists them all. */
export const graphNodeCap = 40;

/** A fenced mermaid `graph` of an impact, the nearest CIs first. */
export function reportMermaid(impact: Impact): string {
  return `\`\`\`mermaid\n${renderImpactMermaid(impact, { maxNodes: graphNodeCap })}\`\`\``;
}
