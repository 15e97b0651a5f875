// Writes a generated estate to disk: a layered CMDB (network -> servers -> databases/queues ->
// applications -> business services) with about 2.5 dependsOn/partOf edges per CI, and
// changes spread over a year so most do not collide. Deterministic for a given size.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng as random } from '../../test/fixtures/generate-cmdb.js';

const layers = [
  { class: 'network', share: 0.01 },
  { class: 'server', share: 0.19 },
  { class: 'database', share: 0.15 },
  { class: 'application', share: 0.5 },
  { class: 'business-service', share: 0.15 },
] as const;

/** Writes `cis` configuration items and `changes` changes under `dir`; returns the file count. */
export function writeEstate(dir: string, cis: number, changes: number): number {
  rmSync(dir, { recursive: true, force: true });
  const next = random(cis * 31 + changes);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const ids: string[][] = layers.map(() => []);
  let n = 0;
  layers.forEach((layer, index) => {
    const count = index === layers.length - 1 ? cis - n : Math.round(cis * layer.share);
    for (let i = 0; i < count; i++) ids[index]!.push(`${layer.class}-${n++}`);
  });
  let files = 0;
  for (const [index, layer] of layers.entries()) {
    const folder = join(dir, 'cmdb', layer.class);
    mkdirSync(folder, { recursive: true });
    for (const id of ids[index]!) {
      const below = index > 0 ? ids[index - 1]! : [];
      const above = index < layers.length - 1 ? ids[index + 1]! : [];
      const dependsOn = below.length ? [...new Set([pick(below), pick(below)])] : [];
      const partOf =
        above.length && layer.class !== 'application'
          ? []
          : above.length && next() < 0.5
            ? [pick(above)]
            : [];
      const lines = [
        '# yaml-language-server: $schema=../../schemas/configuration-item.schema.json',
        'apiVersion: changeops/v1',
        'kind: ConfigurationItem',
        `id: ${id}`,
        `name: ${layer.class} number ${id.slice(id.lastIndexOf('-') + 1)}`,
        `class: ${layer.class}`,
        `owner: "@acme/team-${Math.floor(next() * 200)}"`,
        `criticality: ${1 + Math.floor(next() * 4)}`,
        `environment: ${next() < 0.9 ? 'production' : 'staging'}`,
      ];
      if (dependsOn.length) lines.push(`dependsOn: [${dependsOn.join(', ')}]`);
      if (partOf.length) lines.push(`partOf: [${partOf.join(', ')}]`);
      if (layer.class === 'application') lines.push(`paths: ["services/${id}/**"]`);
      writeFileSync(join(folder, `${id}.yaml`), `${lines.join('\n')}\n`);
      files++;
    }
  }
  mkdirSync(join(dir, 'changes'), { recursive: true });
  const all = ids.flat();
  const statuses = ['proposed', 'approved', 'closed', 'implemented', 'draft'];
  for (let i = 1; i <= changes; i++) {
    const id = `CHG-${String(i).padStart(5, '0')}`;
    // One slot of two hours each: realistic estates rarely collide, so few findings.
    const start = Date.UTC(2030, 0, 1) + i * 7_200_000;
    const text = `# yaml-language-server: $schema=../schemas/change.schema.json
apiVersion: changeops/v1
kind: Change
id: ${id}
title: Routine change number ${i}
type: ${pick(['normal', 'normal', 'normal', 'emergency'])}
status: ${pick(statuses)}
requester: dev-${i % 97}
cis: [${pick(all)}]
reason: Keeps the platform patched and supported; without it we run unsupported versions.
risk: {likelihood: ${pick(['low', 'medium'])}, impact: high}
plan:
  implementation: |
    1. Drain traffic from the node.
    2. Apply the new version with the deployment pipeline.
    3. Return traffic and watch the dashboards for 30 minutes.
  test: Rolled out to staging for a week with the full regression suite green.
  backout: Redeploy the previous version from the pipeline; takes ten minutes.
schedule: {start: ${new Date(start).toISOString().replace('.000', '')}, end: ${new Date(start + 5_400_000).toISOString().replace('.000', '')}}
`;
    writeFileSync(join(dir, 'changes', `${id}-routine.yaml`), text);
    files++;
  }
  writeFileSync(
    join(dir, 'changeops.yaml'),
    'apiVersion: changeops/v1\nkind: Policy\nid: bench\nboards:\n  cab:\n    members: ["@acme/cab"]\n',
  );
  return files + 1;
}
