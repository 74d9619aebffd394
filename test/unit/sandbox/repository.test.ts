/**
 * The sandbox's FHIR repository under medplum's router: history newest first on every read, If-Match, the
 * patient and identifier indexes answering what a plain search answers, and stored resources that cannot be
 * changed by whoever reads them.
 */
import { describe, expect, it } from 'vitest';
import type { Bundle, Condition, Consent } from '@medplum/fhirtypes';
import { FhirStore } from '../../../src-main/sandbox/fhir/store';

const consent = (status: Consent['status'], note: string): Consent => ({
  resourceType: 'Consent',
  status,
  scope: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
  },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  extension: [{ url: 'https://example.invalid/note', valueString: note }],
});

const notes = (b: unknown) =>
  ((b as Bundle<Consent>).entry ?? []).map((e) => e.resource?.extension?.[0]?.valueString);

describe('sandbox FHIR repository', () => {
  it('answers _history newest first, the same on every read, as versions are added', async () => {
    const s = new FhirStore();
    const created = (await s.call('POST', '/Consent', {}, consent('active', 'v1'))).body as Consent;
    const id = created.id as string;
    let last = created;
    for (const v of ['v2', 'v3']) {
      last = (await s.call('PUT', `/Consent/${id}`, {}, { ...consent('active', v), id })).body as Consent;
      expect(notes((await s.call('GET', `/Consent/${id}/_history`)).body)[0]).toBe(v);
    }
    const first = await s.call('GET', `/Consent/${id}/_history`);
    const second = await s.call('GET', `/Consent/${id}/_history`);
    expect(first.status).toBe(200);
    expect(notes(first.body)).toEqual(['v3', 'v2', 'v1']);
    expect(notes(second.body)).toEqual(['v3', 'v2', 'v1']);
    await s.call('PUT', `/Consent/${id}`, {}, { ...consent('active', 'v4'), id });
    expect(notes((await s.call('GET', `/Consent/${id}/_history`)).body)).toEqual(['v4', 'v3', 'v2', 'v1']);
    const vread = await s.call('GET', `/Consent/${id}/_history/${last.meta?.versionId}`);
    expect(notes({ entry: [{ resource: vread.body }] })).toEqual(['v3']);
  });

  it('updates with If-Match only from the current version (412 when stale)', async () => {
    const s = new FhirStore();
    const v1 = (await s.call('POST', '/Consent', {}, consent('active', 'v1'))).body as Consent;
    const id = v1.id as string;
    const ok = await s.call(
      'PUT',
      `/Consent/${id}`,
      {},
      { ...consent('active', 'v2'), id },
      {
        'if-match': `W/"${v1.meta?.versionId}"`,
      },
    );
    expect(ok.status).toBe(200);
    const stale = await s.call(
      'PUT',
      `/Consent/${id}`,
      {},
      { ...consent('active', 'v3'), id },
      {
        'if-match': `W/"${v1.meta?.versionId}"`,
      },
    );
    expect(stale.status).toBe(412);
    expect(s.repo.versionsOf('Consent', id)).toHaveLength(2);
  });

  it('finds by patient and identifier through its indexes as a plain search does, with filters and sort', async () => {
    const s = new FhirStore();
    const condition = (patient: string, text: string, onset: string, status: string): Condition => ({
      resourceType: 'Condition',
      subject: { reference: `Patient/${patient}` },
      identifier: [{ system: 'https://example.invalid/id', value: `${patient}-${text}` }],
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }],
      },
      code: { text },
      onsetDateTime: onset,
    });
    for (const c of [
      condition('a', 'asthma', '2004-03-10', 'active'),
      condition('a', 'eczema', '2010-01-01', 'resolved'),
      condition('a', 'gout', '2020-05-05', 'active'),
      condition('b', 'asthma', '2001-01-01', 'active'),
    ])
      await s.call('POST', '/Condition', {}, c);
    const texts = async (query: Record<string, string>) =>
      (((await s.call('GET', '/Condition', query)).body as Bundle<Condition>).entry ?? []).map(
        (e) => e.resource?.code?.text,
      );
    expect(await texts({ patient: 'Patient/a', _sort: '-onset-date' })).toEqual(['gout', 'eczema', 'asthma']);
    expect(await texts({ subject: 'Patient/a', 'clinical-status': 'active', _sort: 'onset-date' })).toEqual([
      'asthma',
      'gout',
    ]);
    expect(await texts({ patient: 'Patient/b' })).toEqual(['asthma']);
    expect(await texts({ patient: 'Patient/nobody' })).toEqual([]);
    expect(await texts({ identifier: 'https://example.invalid/id|a-eczema' })).toEqual(['eczema']);
    expect(await texts({ identifier: 'a-asthma', patient: 'Patient/b' })).toEqual([]);
    expect(await texts({ identifier: 'b-asthma', subject: 'Patient/b' })).toEqual(['asthma']);
    expect(await texts({ identifier: 'https://other.invalid/id|a-eczema' })).toEqual([]);
    // Moving a resource to another patient moves it in the index.
    const [gout] =
      ((await s.call('GET', '/Condition', { identifier: 'a-gout' })).body as Bundle<Condition>).entry ?? [];
    await s.call(
      'PUT',
      `/Condition/${gout?.resource?.id}`,
      {},
      { ...gout?.resource, subject: { reference: 'Patient/b' } },
    );
    expect(await texts({ patient: 'Patient/a', _sort: 'onset-date' })).toEqual(['asthma', 'eczema']);
    expect(await texts({ patient: 'Patient/b', _sort: 'onset-date' })).toEqual(['asthma', 'gout']);
  });

  it('keeps what it stores: a resource read back cannot be changed, and the caller’s copy is not the stored one', async () => {
    const s = new FhirStore();
    const mine = consent('active', 'mine');
    const stored = await s.repo.createResource(mine);
    mine.status = 'inactive';
    const read = await s.repo.readResource<Consent>('Consent', stored.id);
    expect(read.status).toBe('active');
    expect(() => {
      (read as { status: string }).status = 'rejected';
    }).toThrow(TypeError);
    expect(s.repo.currentOf('Consent', stored.id)).toMatchObject({ status: 'active' });
  });
});
