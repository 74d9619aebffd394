/** The sharing-preferences codec: every preference combination survives Consent and back; bad Consents are refused. */
import { describe, expect, it } from 'vitest';
import type { SharingPreferences } from '../../../../src-shared/domain/records';
import {
  ConsentCodecError,
  decodeConsent,
  encodeConsent,
  SHARING_CODE_SYSTEM,
  type ConsentRecord,
} from '../../../../src-main/records/shared-care/consent-codec';

const ALL: SharingPreferences[] = (['opted-out', 'core', 'core-and-additional'] as const).flatMap((scr) =>
  (['excluded', 'included'] as const).flatMap((sensitive) =>
    (['share', 'dissent'] as const).map((mig) => ({ scr, sensitive, mig })),
  ),
);

const record = (preferences: SharingPreferences, statement = 'I said so.'): ConsentRecord => ({
  preferences,
  patient: { nhsNumber: '9990000018', reference: 'Patient/p-1' },
  at: '2026-10-01T09:30:00.000Z',
  by: { userId: '555000000101', name: 'Dr Amara Okafor' },
  statement,
});

const decisions = (c: ReturnType<typeof encodeConsent>) =>
  Object.fromEntries(c.provision.provision.map((p) => [p.code[0]?.coding[0]?.code, p.type]));

describe('consent codec', () => {
  it('round-trips all twelve preference combinations with who, when and the statement', () => {
    for (const prefs of ALL) expect(decodeConsent(encodeConsent(record(prefs)))).toEqual(record(prefs));
  });

  it('writes the provisions as the design pins them', () => {
    const c = encodeConsent(record({ scr: 'core', sensitive: 'excluded', mig: 'dissent' }));
    expect(c).toMatchObject({
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: {
        reference: 'Patient/p-1',
        identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' },
      },
      performer: [{ identifier: { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '555000000101' } }],
      extension: [
        {
          url: 'https://stethoscope.invalid/fhir/StructureDefinition/patient-statement',
          valueString: 'I said so.',
        },
      ],
      provision: { type: 'permit' },
    });
    expect(decisions(c)).toEqual({ scr: 'permit', 'scr-additional': 'deny', sensitive: 'deny', mig: 'deny' });
    expect(
      decisions(encodeConsent(record({ scr: 'opted-out', sensitive: 'included', mig: 'share' }))),
    ).toEqual({
      scr: 'deny',
      'scr-additional': 'deny',
      sensitive: 'permit',
      mig: 'permit',
    });
  });

  it('reads scr deny as opted out whatever scr-additional says', () => {
    const c = encodeConsent(record({ scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' }));
    c.provision.provision[0]!.type = 'deny';
    expect(decodeConsent(c).preferences.scr).toBe('opted-out');
  });

  it('leaves the statement extension out when there is none, and reads it back as empty', () => {
    const c = encodeConsent(record({ scr: 'core', sensitive: 'excluded', mig: 'share' }, ''));
    expect(c.extension).toBeUndefined();
    expect(decodeConsent(c).statement).toBe('');
  });

  it('refuses a Consent that does not say each of the four things exactly once, or is not one', () => {
    const base = () => encodeConsent(record({ scr: 'core', sensitive: 'excluded', mig: 'share' }));
    const missing = base();
    missing.provision.provision.pop();
    expect(() => decodeConsent(missing)).toThrow(new ConsentCodecError('The Consent does not say mig'));
    const twice = base();
    twice.provision.provision.push({
      type: 'permit',
      code: [{ coding: [{ system: SHARING_CODE_SYSTEM, code: 'sensitive' }] }],
    });
    expect(() => decodeConsent(twice)).toThrow(/says "sensitive" more than once/);
    const unknown = base();
    unknown.provision.provision[0]!.code[0]!.coding[0]!.code = 'everything';
    expect(() => decodeConsent(unknown)).toThrow(/unknown sharing code "everything"/);
    expect(() => decodeConsent({ ...base(), status: 'inactive' })).toThrow(/inactive, not active/);
    expect(() => decodeConsent({ ...base(), scope: { coding: [{ code: 'research' }] } })).toThrow(
      /not a patient-privacy consent/,
    );
    expect(() =>
      decodeConsent({
        ...base(),
        patient: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000019' } },
      }),
    ).toThrow(/no valid NHS number/);
    expect(() => decodeConsent({ resourceType: 'Patient' })).toThrow(ConsentCodecError);
    expect(() => decodeConsent('not even an object')).toThrow(/not a valid Consent/);
  });
});
