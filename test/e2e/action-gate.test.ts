import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubServer, type FakeGitHub } from '../fakes/github-server.js';
import { makeCheckout } from './checkout.js';
import { appKeys, gateEstate, lowRisk, runGate, seedTeams } from './gate-harness.js';

let keys: ReturnType<typeof appKeys>;
let gh: FakeGitHub;
beforeAll(() => {
  keys = appKeys();
});
beforeEach(async () => {
  gh = await startGitHubServer({ app: { publicKey: keys.publicKey } });
  seedTeams(gh);
});
afterEach(async () => {
  try {
    gh.assertNoViolations();
  } finally {
    await gh.close();
  }
});

describe('the approval gate', () => {
  it('approves a low-risk change with one CAB member', async () => {
    const checkout = await makeCheckout(
      { 'changes/CHG-0100-index.yaml': lowRisk('CHG-0100') },
      gateEstate,
    );
    const { run, status, comment } = await runGate(gh, {
      checkout,
      appKey: keys.privateKey,
      reviews: [{ user: 'carla', state: 'APPROVED' }],
    });
    console.log(run.stdout, run.stderr, comment);
    expect(status).toMatchObject({ state: 'success', description: 'Approved: cab (carla)' });
  });
});
