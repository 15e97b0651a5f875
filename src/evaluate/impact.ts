import { graphOf, namedCis } from '../impact/change-impact.js';
import { problemLinks } from '../problems/links.js';
import { impactLevel, traceImpact, type Impact, type ImpactAssessment } from '../impact/impact.js';
import type { Estate, LoadedRecord } from '../records/estate.js';
import { countSeverities, type Finding } from '../records/finding.js';
import { unreadRecords } from '../records/layout.js';
import type { LoadResult } from '../records/load.js';
import { closest } from '../records/wording.js';

/** What an impact query is about: one CI, or one change and the CIs it names. */
export type ImpactSubject =
  | {
      kind: 'ci';
      id: string;
      name: string;
      class: string;
      criticality: number | null;
      environment: string | null;
    }
  | {
      kind: 'change';
      id: string;
      title: string;
      type: string;
      status: string;
      cis: string[];
      /** Problem <-> change sentences: "CHG-0051 remediates #123, opened by the failure of CHG-0042". */
      problemLinks?: string[];
    };

/** The answer to an impact query, or why there is none. */
export type ImpactAnswer =
  | { found: true; subject: ImpactSubject; impact: Impact; assessment: ImpactAssessment }
  | {
      found: false;
      id: string;
      /** The id names a release, which has no CIs of its own, rather than nothing at all. */
      release: boolean;
      /** The known CI or change id closest to a misspelt one. */
      suggestion?: string;
    };

/** The outcome of `impact` on a repository: the answer and how far the estate can be trusted. */
export type ImpactOutcome = ImpactAnswer & {
  /** Error-level findings while loading: the CMDB may miss CIs or edges. */
  recordErrors: number;
  /** False when changeops.yaml cannot be used: the level then uses the default mapping. */
  policyUsable: boolean;
  /** YAML that looks like records where changeops does not read them (the layout warnings). */
  unread: Finding[];
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The impact of changing a CI, or of a change (the CIs it names), worked out on the estate's
 * CMDB with the parent links that explain each impacted CI (`viaOf` gives the path) and the
 * level under the policy's impactByCriticality. No IO. An id that starts with CHG- is a
 * change; anything else a CI.
 */
export function answerImpact(
  estate: Estate,
  id: string,
  badIds: ReadonlySet<LoadedRecord<unknown>> = new Set(),
): ImpactAnswer {
  let subject: ImpactSubject | undefined;
  let named: string[] = [];
  if (id.startsWith('CHG-')) {
    const change = estate.changes.get(id)?.data;
    if (change) {
      // A record that failed its schema is still loaded: take what is usable of it.
      named = namedCis(change);
      subject = {
        kind: 'change',
        id,
        title: text(change.title),
        type: text(change.type),
        status: text(change.status),
        cis: named,
      };
    }
    const links = change
      ? problemLinks([...estate.changes.values()].map((record) => record.data)).get(id)
      : undefined;
    if (subject?.kind === 'change' && links) subject.problemLinks = links;
  } else {
    const ci = estate.cis.get(id)?.data;
    if (ci) {
      named = [id];
      subject = {
        kind: 'ci',
        id,
        name: text(ci.name) || id,
        class: text(ci.class),
        criticality: Number.isInteger(ci.criticality) ? ci.criticality : null,
        environment: typeof ci.environment === 'string' ? ci.environment : null,
      };
    }
  }
  if (!subject) {
    // Only valid ids: an invalid one is reported by validate with its corrected form.
    const known: string[] = [];
    for (const map of [estate.cis, estate.changes] as const)
      for (const record of map.values()) if (!badIds.has(record)) known.push(record.id);
    const suggestion = closest(id, known);
    return {
      found: false,
      id,
      release: estate.releases.has(id),
      ...(suggestion !== undefined ? { suggestion } : {}),
    };
  }
  const graph = graphOf(estate);
  const impact = traceImpact(graph, named, { paths: false });
  return { found: true, subject, impact, assessment: impactLevel(impact, graph, estate.policy) };
}

/** Answers an impact query on loaded records, saying how far the estate can be trusted. */
export function impactOutcome(workspace: LoadResult, id: string): ImpactOutcome {
  return {
    ...answerImpact(workspace.estate, id, workspace.badIds),
    recordErrors: countSeverities(workspace.findings).errors,
    policyUsable: workspace.policyUsable,
    unread: unreadRecords(workspace.findings),
  };
}
