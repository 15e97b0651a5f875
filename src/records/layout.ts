import { sortFindings, type Finding } from './finding.js';
import { defaultPolicy } from './policy.js';
import { closest, listSome } from './wording.js';

/**
 * Where a repository keeps its records, defined once: the reader (src/fs), git (src/git), the
 * rogue-change rule and the gate all ask these predicates rather than listing the paths again.
 * Paths are repository-relative, POSIX separators.
 */

/** The policy file names at the repository root; the first one found wins. */
export const policyFiles = ['changeops.yaml', 'changeops.yml'] as const;

/** The folders that hold record files, at any depth below them. */
export const recordFolders = ['changes', 'cmdb'] as const;

/** The folder of the configuration items (the CMDB). */
export const cmdbFolder = 'cmdb';

/** The folder of the JSON Schemas the records are validated against. */
export const schemaFolder = 'schemas';

/**
 * Where `changeops init` puts the schemas in a user's repository, for editors (the modelines
 * point there, so they resolve offline); `changeops init --upgrade` refreshes them.
 */
export const editorSchemaFolder = '.changeops/schemas';

const yamlFile = /\.ya?ml$/i;

/** Whether a file name ends in .yaml or .yml, in any case: the files the loader reads. */
export function isYamlName(name: string): boolean {
  return yamlFile.test(name);
}

/** Whether the path is the policy file (changeops.yaml or changeops.yml at the root). */
export function isPolicyPath(path: string): boolean {
  return (policyFiles as readonly string[]).includes(path);
}

/** Whether the path is a record file: a .yaml/.yml file under changes/ or cmdb/. */
export function isRecordFilePath(path: string): boolean {
  return isYamlName(path) && recordFolders.some((folder) => path.startsWith(`${folder}/`));
}

/** Whether the path is one the loader reads: the policy or a record file (never code). */
export function isRecordPath(path: string): boolean {
  return isPolicyPath(path) || isRecordFilePath(path);
}

/** Whether the path is a record file of the CMDB (a configuration item). */
export function isCmdbPath(path: string): boolean {
  return isYamlName(path) && path.startsWith(`${cmdbFolder}/`);
}

/** Whether the path is under schemas/ or .changeops/schemas/, where the record formats live. */
export function isSchemaPath(path: string): boolean {
  return path.startsWith(`${schemaFolder}/`) || path.startsWith(`${editorSchemaFolder}/`);
}

/**
 * Whether editing the path changes what every change is judged by: the policy, the schemas or
 * the CMDB. Anything under cmdb/ counts, not only the files the loader reads (fail closed): a
 * pull request that touches one needs the governance approval the base policy asks for.
 */
export function isGovernancePath(path: string): boolean {
  return isPolicyPath(path) || isSchemaPath(path) || path.startsWith(`${cmdbFolder}/`);
}

/**
 * What the root of a repository holds, as far as the loader cares: gathered by `src/fs`
 * (`surveyWorkspace`), judged here, so that nothing changeops cannot see passes silently.
 */
export interface WorkspaceLayout {
  /** The policy file at the root, if there is one. */
  policyFile?: string;
  /** The record folders (changes/, cmdb/) that exist as folders. */
  recordFolders: string[];
  /** Folders at the root named like a record folder but not one (Changes/, change/), with YAML below. */
  nearMisses: Array<{
    folder: string;
    /** The record folder it is named like. */
    like: string;
    /** Its first YAML file, where the warning points. */
    first: string;
    /** How many YAML files lie below it. */
    yamlFiles: number;
  }>;
  /** YAML files at the root, other than the policy, whose first lines read like a record. */
  strayRecords: Array<{ path: string; kind: string }>;
}

/**
 * The record folder a folder's name is a near miss of: the same name in another case (Changes,
 * CMDB), or a few letters off (change, chnages, cmdbs). Names of deliberate copies (cmdb-old,
 * changes.bak) are not near misses, nor is any name shorter than four letters (cmd).
 */
export function nearMissFolder(name: string): string | undefined {
  if (name.length < 4 || (recordFolders as readonly string[]).includes(name)) return undefined;
  return closest(name, recordFolders);
}

const recordKindLine =
  /^kind:[ \t]*["']?(ConfigurationItem|Change|Release|Policy)["']?[ \t]*(?:#.*)?$/m;
const changeopsApiVersion = /^apiVersion:[ \t]*["']?changeops\//m;

/** The kind of record the start of a YAML text declares (apiVersion changeops/..., kind: X), if any. */
export function recordKindOf(head: string): string | undefined {
  if (!changeopsApiVersion.test(head)) return undefined;
  return recordKindLine.exec(head)?.[1];
}

/** The rule of the findings about YAML that changeops finds but does not read. */
export const layoutRule = 'layout';

/** The layout warnings among findings: what `schedule` and `impact`, which print no findings, note. */
export function unreadRecords(findings: readonly Finding[]): Finding[] {
  return sortFindings(findings.filter((finding) => finding.rule === layoutRule));
}

/**
 * What a repository's layout tells its user beyond its records: a warning for each near-miss
 * folder and each record-like YAML file at the root (changeops would otherwise skip them without
 * a word), and a notice that the defaults are in force when there is no policy file.
 */
export function layoutFindings(layout: WorkspaceLayout): Finding[] {
  const findings: Finding[] = [];
  const where = (file: string) => ({ file, line: 1, column: 1 });
  const folders = `${recordFolders.map((folder) => `${folder}/`).join(' and ')}`;
  for (const miss of layout.nearMisses) {
    const files = `${miss.yamlFiles} YAML file${miss.yamlFiles === 1 ? '' : 's'}`;
    findings.push({
      ...where(miss.first),
      severity: 'warning',
      rule: layoutRule,
      message: `${miss.folder}/ is not a record folder, so changeops does not read the ${files} in it: records go under ${folders}, spelt exactly so; if these are records, move them to ${miss.like}/`,
    });
  }
  for (const stray of layout.strayRecords) {
    const message =
      stray.kind === 'Policy'
        ? layout.policyFile
          ? `this file looks like a Policy, but the policy in force is ${layout.policyFile}; changeops does not read this one`
          : `this file looks like a Policy, but changeops reads the policy only from ${policyFiles[0]} (or ${policyFiles[1]}) at the repository root; rename it`
        : `this file looks like a ${stray.kind} record, but changeops reads records only under ${folders}; move it to ${stray.kind === 'ConfigurationItem' ? cmdbFolder : 'changes'}/`;
    findings.push({ ...where(stray.path), severity: 'warning', rule: layoutRule, message });
  }
  if (!layout.policyFile) {
    findings.push({
      ...where(policyFiles[0]),
      severity: 'notice',
      rule: 'policy',
      message: `there is no ${policyFiles[0]}, so the default policy is in force: normal and emergency changes need one approval from the owners of the CIs they touch, normal changes ${defaultPolicy.leadTimeHours.normal} hours' lead time, there are no boards, templates, maintenance windows or freezes, and every evaluation rule runs at its default severity; add ${policyFiles[0]} to set your own`,
    });
  }
  return findings;
}

/**
 * The sentence for a root that holds nothing changeops reads, naming what it found that looks
 * like records (`strays`: near-miss folders, record-like files), so a wrong --dir, or a
 * repository laid out under other names, is a clear error rather than an empty "valid".
 */
export function emptyWorkspaceProblem(root: string, layout: WorkspaceLayout): string {
  const strays = [
    ...layout.nearMisses.map((miss) => `${miss.folder}/`),
    ...layout.strayRecords.map((stray) => stray.path),
  ];
  return `${root} holds no ${policyFiles[0]}, ${recordFolders.map((folder) => `${folder}/`).join(' or ')}${strays.length ? ` (only ${listSome(strays)}, which changeops does not read)` : ''}`;
}
