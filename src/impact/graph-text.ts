import type { CmdbGraph, GraphStats } from './graph.js';

/**
 * The impact graph as one line of text for the estate snapshot: its strings as JSON, its typed
 * arrays in base64. A warm run whose CIs did not change reads it back instead of building it.
 */
export function encodeGraph(graph: CmdbGraph): string {
  const b64 = (array: ArrayBufferView) =>
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
  return JSON.stringify({
    ids: graph.ids,
    names: graph.names,
    classes: graph.classes,
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

/** Reads a graph line back; undefined when it is not one whose parts fit together. */
export function decodeGraph(text: string): CmdbGraph | undefined {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
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
