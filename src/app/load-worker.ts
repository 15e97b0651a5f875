// A worker thread's share of loading a workspace: read and parse a contiguous run of record
// files, and send back their texts (for positions later) and parsed records. Bundled as
// dist/load-worker.js next to the action and the CLI.
import { parentPort, workerData } from 'node:worker_threads';
import { readListedFiles, type RecordFileEntry } from '../fs/read-workspace.js';
import type { Limits } from '../records/limits.js';
import { parseRecordFiles } from '../records/load.js';
import { SourceIndex } from '../records/locate.js';

const { root, entries, limits } = workerData as {
  root: string;
  entries: RecordFileEntry[];
  limits: Limits;
};
const read = readListedFiles(root, entries, limits.maxFileBytes);
const parsed = parseRecordFiles(read.files, limits, new SourceIndex());
parentPort?.postMessage({ files: read.files, readFindings: read.findings, parsed });
