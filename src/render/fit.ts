import { fileLinker } from './links.js';
import {
  changeModel,
  reportModel,
  type ChangeModel,
  type Cut,
  type Detail,
} from './report-model.js';
import type { ReportView } from './report-view.js';
import { templates } from './templates.js';

/**
 * Fitting the report under GitHub's limits: a comment body is counted in characters, a job
 * summary in bytes. The renderers step down through levels of detail, then drop whole change
 * sections, and never cut text in the middle.
 */

/** What `renderFitted` needs to know about the document it renders. */
export interface Layout {
  kind: 'comment' | 'summary';
  marker?: string;
  serverUrl?: string | undefined;
  /** The most the document may measure. */
  budget: number;
  /** How the document is measured: characters for a comment, bytes for a summary. */
  measure: (text: string) => number;
  /** From the most detailed to the least; change sections are cut at the last one. */
  levels: readonly Detail[];
}

/**
 * The most characters GitHub could count for a body: UTF-16 code units (at least the number of
 * code points or graphemes; a body whose UTF-16 length is under 65,536 is also under GitHub's
 * 262,144-byte storage cap), plus one for each newline in case it is stored as CRLF.
 */
export function githubLength(body: string): number {
  let newlines = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) newlines++;
  return body.length + newlines;
}

/**
 * Renders the report at the first level of detail that fits the budget, else at the last level
 * with as many change sections as fit (then without releases and other findings). Shared by
 * the comment and the job summary. Never cuts text: it renders less of it.
 */
export function renderFitted(view: ReportView, layout: Layout): string {
  const t = templates();
  const main = layout.kind === 'comment' ? t.comment : t.summary;
  const link = fileLinker(view.repository, view.headSha, layout.serverUrl);
  const { budget, measure, levels } = layout;
  if (levels.length === 0) throw new RangeError('renderFitted needs at least one level of detail');
  const count = view.changes.length;
  // One level's renderings. Section models are built when first rendered: a 5,000-change report
  // that fits only a few sections should not allocate 5,000 of them at every level.
  const at = (i: number) => {
    const detail = levels[i]!;
    const models: ChangeModel[] = [];
    const section = (index: number) =>
      (models[index] ??= changeModel(view.changes[index]!, detail, link, layout.kind));
    const frame = (shown: number, cut: Cut) => {
      const changes = Array.from({ length: shown }, (_, index) => section(index));
      return reportModel(view, detail, link, layout, changes, cut, i > 0);
    };
    return { section, frame };
  };
  for (let i = 0; i < levels.length; i++) {
    const { section, frame } = at(i);
    // Measure section by section and stop early: a 5,000-change report renders no more than the
    // budget at each level. Sections are partials at the start of a line, so lengths add up.
    let total = measure(main(frame(0, 'none')));
    for (let index = 0; index < count && total <= budget; index++) {
      total += measure(t.change(section(index)));
    }
    if (total <= budget) {
      const body = main(frame(count, 'none'));
      if (measure(body) <= budget) return body;
    }
  }
  // Cut change sections at the last level: as many as fit with the note that says how many are
  // not shown, then one fewer until the whole body fits (the note's numbers change its length).
  const { section, frame } = at(levels.length - 1);
  let total = measure(main(frame(0, 'changes')));
  let shown = 0;
  while (shown < count) {
    const next = total + measure(t.change(section(shown)));
    if (next > budget) break;
    total = next;
    shown++;
  }
  for (; shown >= 0; shown--) {
    const body = main(frame(shown, 'changes'));
    if (measure(body) <= budget) return body;
  }
  const bare = main(frame(0, 'sections'));
  if (measure(bare) <= budget) return bare;
  throw new RangeError(`The report does not fit in ${budget} even with nothing but its outcome`);
}
