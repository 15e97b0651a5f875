// The floor: what any tool must pay to look at the same estate — node start, walking the
// folders, reading every file and parsing it with the same YAML parser changeops uses.
import jsyaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
let documents = 0;
const parse = (path) => {
  jsyaml.loadAll(readFileSync(path, 'utf8'), () => documents++, { schema: jsyaml.CORE_SCHEMA });
};
parse(join(root, 'changeops.yaml'));
for (const folder of ['changes', 'cmdb']) {
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.ya?ml$/.test(entry.name)) parse(join(entry.parentPath, entry.name));
  }
}
if (documents === 0) process.exitCode = 1;
