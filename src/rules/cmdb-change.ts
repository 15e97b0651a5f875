import { listSome } from '../records/wording.js';
import { coverage, uncovered } from './coverage.js';
import type { Rule } from './rule.js';

/**
 * A CMDB edit is a change too: a CI that the branch adds, edits (its data, not only comments or
 * layout) or removes must be named in the cis of a proposed or approved change that the branch
 * adds or edits. Until the branch is merged its edit lowers nothing (impact, windows and
 * collisions are judged on the union of the base's and the branch's CMDB); this rule makes sure
 * somebody asks for it.
 */
export const cmdbChangeRule: Rule = {
  id: 'cmdb-change',
  description:
    'A CI the branch adds, edits or removes in the CMDB is named in the cis of a proposed or ' +
    'approved change record that the branch adds or edits. Only the data counts: an edit of ' +
    "comments or layout is no edit. Until merged, the edit cannot lower a change's impact: " +
    "impact, windows and collisions are judged on the union of the base's and the branch's CMDB.",
  defaultSeverity: 'warning',
  check(context, report) {
    if (!context.base || context.cmdb.edits.length === 0) return;
    const covered = coverage(context);
    for (const edit of context.cmdb.edits) {
      if (covered.cis.has(edit.id)) continue;
      const record = edit.head ?? edit.base;
      if (!record) continue;
      const what =
        edit.change === 'added'
          ? `this branch adds ${edit.id} to the CMDB`
          : edit.change === 'removed'
            ? `this branch removes ${edit.id} from the CMDB`
            : `this branch edits ${edit.id} in the CMDB (${listSome([...(edit.fields ?? [])], 4)})`;
      // The first field edited, where the branch still has it; else the CI's id.
      const first = edit.fields?.[0];
      const field =
        edit.head && first !== undefined && Object.hasOwn(edit.head.data, first) ? [first] : ['id'];
      report(
        record,
        edit.change === 'removed' ? [] : field,
        `a CMDB edit is a change too: ${what}, ${uncovered(covered, edit.id, 'this edit')}`,
      );
    }
  },
};
