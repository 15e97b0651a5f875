import { describe, expect, it } from 'vitest';
import { changeSlug, newChangePath, nextChangeId } from '../../../src/records/change-ids.js';

describe('change ids', () => {
  it.each([
    { ids: [], files: [], next: 'CHG-0001' },
    { ids: ['CHG-0041', 'CHG-0007'], files: [], next: 'CHG-0042' },
    // A file that failed to load still holds its id.
    { ids: ['CHG-0041'], files: ['changes/CHG-0050-broken.yaml'], next: 'CHG-0051' },
    { ids: ['CHG-123456'], files: [], next: 'CHG-123457' },
    { ids: ['REL-2026.12', 'CHG-x'], files: ['changes/notes.yaml'], next: 'CHG-0001' },
  ])('gives $next after $ids and $files', ({ ids, files, next }) => {
    expect(nextChangeId(ids, files)).toBe(next);
  });

  it.each([
    ['Upgrade the payments database to PostgreSQL 17', 'upgrade-the-payments-database-to'],
    ['Café — ünïcode & co', 'cafe-unicode-co'],
    ['!!!', ''],
    ['x'.repeat(50), 'x'.repeat(40)],
  ])('slugs %j as %j', (title, slug) => {
    expect(changeSlug(title)).toBe(slug);
  });

  it('names the file after the id and the slug, or the id alone', () => {
    expect(newChangePath('CHG-0042', 'Upgrade PG')).toBe('changes/CHG-0042-upgrade-pg.yaml');
    expect(newChangePath('CHG-0042', '…')).toBe('changes/CHG-0042.yaml');
  });
});
