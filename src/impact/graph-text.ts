import type { CmdbGraph, GraphStats } from './graph.js';

/**
 * The impact graph as one line of text for the estate snapshot: its strings as JSON, its typed
 * arrays in base64. A warm run whose CIs did not change reads it back instead of building it.
 */
export function encodeGraph(graph: CmdbGraph, order?: Int32Array): string {
  const b64 = (array: ArrayBufferView) =>
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
  // With `order` (each node's place among the snapshot's CIs), the ids, names and classes are
  // the snapshot's own columns: not written twice.
  const named = order
    ? { order: b64(order) }
    : { ids: graph.ids, names: graph.names, classes: graph.classes };
  return JSON.stringify({
    ...named,
    environments: graph.environments,
    criticality: b64(graph.criticality),
    environment: b64(graph.environment),
    offsets: b64(graph.offsets),
    targets: b64(graph.targets),
    kinds: b64(graph.kinds),
    stats: graph.stats,
  });
}

const strings = (value: unknown, length?: number): value is string[] =>
  Array.isArray(value) &&
  (length === undefined || value.length === length) &&
  value.every((item) => typeof item === 'string');

/** The ids, names and classes of a graph's nodes, from their places (`order`), as encodeGraph took them. */
export type GraphNames = (
  order: Int32Array,
) => { ids: string[]; names: string[]; classes: string[] } | undefined;

/**
 * Reads a graph line back; undefined when it is not one whose parts fit together. A line
 * written with an order names its nodes through `named`.
 */
export function decodeGraph(text: string, named?: GraphNames): CmdbGraph | undefined {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (raw.order !== undefined) {
      const bytes = typeof raw.order === 'string' ? Buffer.from(raw.order, 'base64') : undefined;
      if (!bytes || bytes.length % 4 !== 0 || !named) return undefined;
      const names = named(new Int32Array(new Uint8Array(bytes).buffer, 0, bytes.length / 4));
      if (!names) return undefined;
      Object.assign(raw, names);
    }
    const size = Array.isArray(raw.ids) ? raw.ids.length : -1;
    if (!strings(raw.ids) || !strings(raw.names, size) || !strings(raw.classes, size))
      return undefined;
    if (!strings(raw.environments)) return undefined;
    const bytes = (value: unknown): Uint8Array | undefined =>
      typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : undefined;
    const int32 = (value: unknown): Int32Array | undefined => {
      const b = bytes(value);
      return b && b.length % 4 === 0 ? new Int32Array(b.buffer, 0, b.length / 4) : undefined;
    };
    const criticality = bytes(raw.criticality);
    const environment = int32(raw.environment);
    const offsets = int32(raw.offsets);
    const targets = int32(raw.targets);
    const kinds = bytes(raw.kinds);
    const stats = raw.stats as GraphStats | undefined;
    if (!criticality || !environment || !offsets || !targets || !kinds || !stats) return undefined;
    const edges = targets.length;
    if (
      criticality.length !== size ||
      environment.length !== size ||
      offsets.length !== size + 1 ||
      kinds.length !== edges ||
      offsets[0] !== 0 ||
      offsets[size] !== edges ||
      stats.nodes !== size ||
      stats.edges !== edges
    )
      return undefined;
    for (let i = 0; i < size; i++) if (offsets[i]! > offsets[i + 1]!) return undefined;
    for (let e = 0; e < edges; e++) if (targets[e]! < 0 || targets[e]! >= size) return undefined;
    for (let i = 0; i < size; i++)
      if (environment[i]! < -1 || environment[i]! >= raw.environments.length) return undefined;
    const index = new Map<string, number>();
    raw.ids.forEach((id, i) => index.set(id, i));
    if (index.size !== size) return undefined;
    return {
      size,
      ids: raw.ids,
      index,
      names: raw.names,
      classes: raw.classes,
      criticality,
      environment,
      environments: raw.environments,
      offsets,
      targets,
      kinds,
      stats: { ...stats },
    };
  } catch {
    return undefined;
  }
}
