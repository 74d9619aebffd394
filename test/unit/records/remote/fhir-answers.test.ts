/**
 * The generic searchset shape the record clients read first (src-main/records/remote/fhir-answers.ts): each
 * entry's resource must be an object with a string resourceType, and is handed on as it came (not copied).
 */
import { describe, expect, it } from 'vitest';
import { Searchset } from '../../../../src-main/records/remote/fhir-answers';

const set = (entry: unknown) => ({ resourceType: 'Bundle', type: 'searchset', entry });

describe('Searchset', () => {
  it('hands each entry resource on unchanged, the very object', () => {
    const resource = { resourceType: 'Observation', id: 'o1', extra: { kept: true } };
    const parsed = Searchset.parse(set([{ resource, search: { mode: 'match' } }]));
    expect(parsed.entry[0]!.resource).toBe(resource);
    expect(Searchset.parse({ resourceType: 'Bundle', type: 'searchset' }).entry).toEqual([]);
  });

  it.each([
    ['no resource', [{}]],
    ['a resource that is a string', [{ resource: 'Observation' }]],
    ['a resource that is a list', [{ resource: [{ resourceType: 'Observation' }] }]],
    ['a resource that is null', [{ resource: null }]],
    ['a resource without a resourceType', [{ resource: { id: 'x' } }]],
    ['a resourceType that is not a string', [{ resource: { resourceType: 7 } }]],
    ['a resourceType over 10,000 characters', [{ resource: { resourceType: 'x'.repeat(10_001) } }]],
    ['an entry that is not an object', ['Observation']],
  ])('refuses %s, naming the place', (_what, entry) => {
    const r = Searchset.safeParse(set(entry));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.slice(0, 2)).toEqual(['entry', 0]);
  });

  it('still refuses what is not a searchset', () => {
    expect(Searchset.safeParse({ resourceType: 'Bundle', type: 'batch-response', entry: [] }).success).toBe(
      false,
    );
    expect(
      Searchset.safeParse(set([{ resource: { resourceType: 'Patient' }, search: { score: 2 } }])).success,
    ).toBe(false);
  });
});
