// npm run demo: shows what `changeops check --base main` reports on a pull request. Copies this
// repository's example estate into a temporary git repository as `main`, then commits the demo
// branch on top (examples/demo-branch/ plus one status jump) and runs the check against main.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'changeops-demo-'));
const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'changeops demo');
  git('config', 'user.email', 'demo@example.com');
  git('config', 'commit.gpgsign', 'false');
  for (const path of ['changeops.yaml', 'changes', 'cmdb', 'schemas'])
    cpSync(join(root, path), join(dir, path), { recursive: true });
  git('add', '.');
  git('commit', '-q', '-m', 'The example estate');
  git('switch', '-q', '-c', 'demo');
  cpSync(join(root, 'examples', 'demo-branch'), dir, { recursive: true });
  // A proposed change marked closed in one step: the lifecycle does not allow it.
  const jump = join(dir, 'changes', 'CHG-0008-stock-reservations-v2.yaml');
  writeFileSync(jump, readFileSync(jump, 'utf8').replace(/^status: proposed$/m, 'status: closed'));
  git('add', '.');
  git('commit', '-q', '-m', 'The demo branch');
  const args = [
    join(root, 'bin', 'changeops.js'),
    'check',
    '--base',
    'main',
    '--dir',
    dir,
    '--now',
    '2026-11-21T12:00:00Z',
    ...process.argv.slice(2),
  ];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exitCode = result.status ?? 2;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
