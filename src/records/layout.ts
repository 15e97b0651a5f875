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

/** Whether the path is under schemas/, where the record formats live. */
export function isSchemaPath(path: string): boolean {
  return path.startsWith(`${schemaFolder}/`);
}

/**
 * Whether editing the path changes what every change is judged by: the policy, the schemas or
 * the CMDB. Anything under cmdb/ counts, not only the files the loader reads (fail closed): a
 * pull request that touches one needs the governance approval the base policy asks for.
 */
export function isGovernancePath(path: string): boolean {
  return isPolicyPath(path) || isSchemaPath(path) || path.startsWith(`${cmdbFolder}/`);
}
