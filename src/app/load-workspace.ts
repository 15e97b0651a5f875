import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  listRecordFiles,
  readListedFiles,
  readPolicyFile,
  type RecordFileEntry,
  type WorkspaceFiles,
} from '../fs/read-workspace.js';
import type { Finding } from '../records/finding.js';
import { defaultLimits, type Limits } from '../records/limits.js';
import {
  assembleRecords,
  loadPolicy,
  parseRecordFiles,
  type LoadResult,
  type ParsedRecordFile,
  type PolicyResult,
} from '../records/load.js';
import { SourceIndex } from '../records/locate.js';

/** A loaded workspace, with whether its policy could be used. */
export interface Workspace extends LoadResult {
  policyUsable: boolean;
}

/** Below this many record files a worker thread costs more to start than it saves. */
export const parallelThreshold = 2000;

/** The policy first: its limits govern every other file. */
function policyOf(root: string, sources: SourceIndex): PolicyResult {
  const policyFile = readPolicyFile(root, defaultLimits.maxFileBytes);
  const policy = loadPolicy(policyFile.files[0], sources);
  policy.findings.unshift(...policyFile.findings);
  if (policyFile.findings.length > 0) policy.usable = false;
  return policy;
}

function finish(
  policy: PolicyResult,
  parsed: ParsedRecordFile[],
  readFindings: Finding[],
  sources: SourceIndex,
): Workspace {
  const result = assembleRecords(policy, parsed, sources);
  result.findings.push(...readFindings);
  // The policy file counts as a file read; unreadable record files count too.
  result.files += (policy.file ? 1 : 0) + readFindings.length;
  return { ...result, policyUsable: policy.usable };
}

/**
 * Reads and loads a repository's records from disk, on this thread: the policy first (its
 * limits govern the rest), then every record file under changes/ and cmdb/.
 */
export function loadWorkspace(root: string): Workspace {
  const sources = new SourceIndex();
  const policy = policyOf(root, sources);
  const limits = policy.policy.limits;
  const read = readListedFiles(root, listRecordFiles(root), limits.maxFileBytes);
  return finish(policy, parseRecordFiles(read.files, limits, sources), read.findings, sources);
}

/** The worker script beside the running bundle; absent when running from the TypeScript sources. */
function workerScript(): string | undefined {
  if (process.env.CHANGEOPS_WORKERS === '0') return undefined;
  try {
    const path = fileURLToPath(new URL('./load-worker.js', import.meta.url));
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Like loadWorkspace, but on a large estate the reading and parsing is shared with worker
 * threads (one per spare core, at most three): each takes a contiguous run of files, so the
 * estate is put together in the same order and gives the same result as on one thread. A
 * worker that fails leaves its share to this thread.
 */
export async function loadWorkspaceFast(root: string): Promise<Workspace> {
  const script = workerScript();
  const sources = new SourceIndex();
  const policy = policyOf(root, sources);
  const limits = policy.policy.limits;
  const entries = listRecordFiles(root);
  const workers = Math.min(3, availableParallelism() - 1);
  if (!script || workers < 1 || entries.length < parallelThreshold) {
    const read = readListedFiles(root, entries, limits.maxFileBytes);
    return finish(policy, parseRecordFiles(read.files, limits, sources), read.findings, sources);
  }
  const share = Math.ceil(entries.length / (workers + 1));
  const chunks: RecordFileEntry[][] = [];
  for (let i = 0; i < entries.length; i += share) chunks.push(entries.slice(i, i + share));
  const [mine = [], ...theirs] = chunks;
  const pending = theirs.map((chunk) => runWorker(script, root, chunk, limits));
  const read = readListedFiles(root, mine, limits.maxFileBytes);
  const parsed = parseRecordFiles(read.files, limits, sources);
  const readFindings = [...read.findings];
  for (const [index, promise] of pending.entries()) {
    let result: WorkerResult;
    try {
      result = await promise;
    } catch {
      const chunk = theirs[index]!;
      const again = readListedFiles(root, chunk, limits.maxFileBytes);
      result = {
        files: again.files,
        readFindings: again.findings,
        parsed: parseRecordFiles(again.files, limits, new SourceIndex()),
      };
    }
    for (const file of result.files) sources.add(file.path, file.text);
    parsed.push(...result.parsed);
    readFindings.push(...result.readFindings);
  }
  return finish(policy, parsed, readFindings, sources);
}

interface WorkerResult {
  files: WorkspaceFiles['files'];
  readFindings: Finding[];
  parsed: ParsedRecordFile[];
}

function runWorker(
  script: string,
  root: string,
  entries: RecordFileEntry[],
  limits: Limits,
): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { root, entries, limits } });
    worker.once('message', (message: WorkerResult) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker exited with ${code}`));
    });
  });
}
