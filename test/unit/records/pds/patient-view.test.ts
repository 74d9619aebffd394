/**
 * PDS Patient -> PatientView: the name, address and GP in use now; restricted patients (no address, telecom or
 * GP, not even read); superseded numbers; refusals.
 */
import { describe, expect, it } from 'vitest';
import { PatientView } from '../../../../src-shared/domain/patient-view';
import { patientViewFromPds, readPdsPatient } from '../../../../src-main/records/pds/patient-view';
import { RecordShapeError, type ShapeProblem } from '../../../../src-main/records/remote-shape';
import { NHS, pdsPatient } from '../../../support/records/scr-fixtures';

const NOW = new Date('2026-03-02T12:00:00Z');

function refusal(read: () => unknown): { problem: ShapeProblem; message: string } {
  try {
    read();
  } catch (err) {
    if (err instanceof RecordShapeError) return { problem: err.problem, message: err.message };
    throw err;
  }
  throw new Error('expected a RecordShapeError, but the Patient was read');
}

describe('PDS patient view', () => {
  it('an ordinary patient: current usual name, birth date, gender, current home address, GP practice', () => {
    const view = patientViewFromPds(pdsPatient(), { now: NOW });
    expect(view).toEqual({
      nhsNumber: NHS.ffion,
      name: { family: 'Marwood', given: ['Ffion', 'Rhiannon'], prefix: 'Ms' },
      born: '1988-04-12',
      gender: 'female',
      superseded: null,
      restricted: false,
      address: { line: 'Flat 2, 17 Wren Street', postcode: 'XX1 2XY' },
      gpPractice: { odsCode: 'Y90001' },
    });
    expect(PatientView.parse(view)).toStrictEqual(view);
  });

  it('restricted: address, telecom and GP are dropped and the view says restricted', () => {
    const view = patientViewFromPds(pdsPatient({ restricted: true }), { now: NOW });
    expect(view).toEqual({
      nhsNumber: NHS.ffion,
      name: { family: 'Marwood', given: ['Ffion', 'Rhiannon'], prefix: 'Ms' },
      born: '1988-04-12',
      gender: 'female',
      superseded: null,
      restricted: true,
    });
    const text = JSON.stringify(view);
    for (const secret of ['Wren', 'XX1 2XY', 'Old Quay', '01632', 'Y90001'])
      expect(text).not.toContain(secret);
    expect(PatientView.parse(view)).toStrictEqual(view);
  });

  it('restricted: the location fields are not even read (malformed ones do not matter)', () => {
    const view = patientViewFromPds(
      pdsPatient({
        restricted: true,
        with: {
          address: 'not a list',
          telecom: [{ system: 'pigeon' }],
          generalPractitioner: [{ identifier: 7 }],
        },
      }),
      { now: NOW },
    );
    expect(view.restricted).toBe(true);
  });

  it('restricted also for very restricted (V), and for an R without a system', () => {
    expect(patientViewFromPds(pdsPatient({ security: [{ code: 'R' }] }), { now: NOW }).restricted).toBe(true);
    const v = pdsPatient({
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V' }],
    });
    expect(patientViewFromPds(v, { now: NOW }).restricted).toBe(true);
  });

  it('superseded: the number asked for differs from the record PDS answered with; both are given', () => {
    const view = patientViewFromPds(pdsPatient({ id: NHS.current }), {
      requestedNhsNumber: NHS.retired,
      now: NOW,
    });
    expect(view.nhsNumber).toBe(NHS.current);
    expect(view.superseded).toEqual({ requested: NHS.retired, current: NHS.current });
    expect(
      patientViewFromPds(pdsPatient(), { requestedNhsNumber: NHS.ffion, now: NOW }).superseded,
    ).toBeNull();
  });

  it('no current name, address or GP registration: null; no gender: unknown', () => {
    const view = patientViewFromPds(
      pdsPatient({
        with: {
          name: undefined,
          gender: undefined,
          address: [
            {
              use: 'home',
              period: { start: '2000-01-01', end: '2020-01-01' },
              line: ['1 Gone Road'],
              postalCode: 'XX3 3XX',
            },
          ],
          generalPractitioner: [
            { identifier: { value: 'Y90002', period: { start: '2001-01-01', end: '2025-12-31' } } },
          ],
        },
      }),
      { now: NOW },
    );
    expect(view).toMatchObject({ name: null, gender: 'unknown', address: null, gpPractice: null });
  });

  it('text is cleaned: whitespace runs and bidirectional overrides removed', () => {
    const view = patientViewFromPds(
      pdsPatient({ with: { name: [{ use: 'usual', family: ' Mar\u202Ewood ', given: ['Ffion\n'] }] } }),
      { now: NOW },
    );
    expect(view.name).toEqual({ family: 'Marwood', given: ['Ffion'] });
  });

  it('refuses what is not a PDS Patient, in plain words', () => {
    expect(refusal(() => patientViewFromPds({ resourceType: 'Bundle' }))).toEqual({
      problem: 'wrong-type',
      message: 'not a PDS Patient: it is a Bundle resource',
    });
    expect(refusal(() => patientViewFromPds(pdsPatient({ id: '9997000014' }))).message).toBe(
      'the PDS Patient is not in the expected form: its id is not a valid NHS number',
    );
    expect(refusal(() => patientViewFromPds(pdsPatient({ with: { id: 'abc' } }))).message).toBe(
      'the PDS Patient is not in the expected form: id is not an NHS number (10 digits)',
    );
    expect(refusal(() => patientViewFromPds(pdsPatient({ with: { gender: 'F' } }))).message).toBe(
      'the PDS Patient is not in the expected form: gender should be "male" or "female" or "other" or "unknown"',
    );
    const mismatch = pdsPatient({
      with: { identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS.other }] },
    });
    expect(refusal(() => patientViewFromPds(mismatch)).message).toBe(
      'the PDS Patient is not in the expected form: its id and NHS number differ',
    );
    expect(
      refusal(() => patientViewFromPds(pdsPatient({ with: { telecom: [{ system: 'pigeon' }] } }))).message,
    ).toBe(
      'the PDS Patient is not in the expected form: telecom[0].system should be "phone" or "fax" or "email" or "pager" or "url" or "sms" or "other"',
    );
    expect(refusal(() => readPdsPatient('<html>'))).toEqual({
      problem: 'not-json',
      message: 'the PDS Patient is not valid JSON',
    });
  });

  it('refuses an invalidated (redacted) record', () => {
    const redacted = pdsPatient({
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'REDACTED' }],
    });
    expect(refusal(() => patientViewFromPds(redacted)).problem).toBe('redacted');
  });
});
