/**
 * The audit repository client against answers that are not what the repository should send: each becomes the
 * service client's plain refusal naming the audit repository, never a half-read queue or report.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../../src-main/net/http-types';
import { createServiceClient } from '../../../../src-main/records/remote/service-client';
import { createAuditRepositoryClient } from '../../../../src-main/review/repository/audit-client';
import type { SourceContext } from '../../../../src-main/records/source/types';

const BASE = 'https://audit.test.invalid/audit/FHIR/R4';

function clientAnswering(body: unknown) {
  const answer: HttpResponse = {
    status: 200,
    headers: { 'content-type': 'application/fhir+json' },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
  };
  return createAuditRepositoryClient(
    createServiceClient({
      service: 'audit',
      baseUrl: BASE,
      transport: async () => answer,
      tokens: { token: async () => 'token' },
      timeoutMs: 1000,
    }),
  );
}

const ctx: SourceContext = {
  signal: new AbortController().signal,
  correlationId: 'c0ffee00-0000-4000-8000-000000000000',
  user: {
    sessionId: 's',
    holder: { userId: '555000000104', displayName: 'Priya Raman' },
    role: {
      urid: '555000000104-01',
      orgCode: 'C81007',
      orgName: 'Example Surgery',
      orgType: 'gp-practice',
      roleCode: 'R0001',
      roleName: 'Privacy Officer',
      activities: ['B0015', 'B0016', 'B0011'],
    },
  },
};
const q = { types: ['emergency'] as const };
const unreadable = {
  kind: 'unavailable',
  message:
    'The audit repository sent an answer the workstation could not read. Nothing was shown. Try again; if it keeps happening, tell your IT service desk.',
};

describe('the audit repository client refuses malformed answers in plain words', () => {
  it.each([
    ['not JSON', '{"resourceType": "Bund'],
    ['a Patient instead of a Bundle', { resourceType: 'Patient', id: 'x' }],
    [
      'a Bundle holding a Patient',
      { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient' } }] },
    ],
    [
      'an AuditEvent without its time',
      {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          {
            resource: { resourceType: 'AuditEvent', id: 'a', type: {}, agent: [], source: { observer: {} } },
          },
        ],
      },
    ],
  ])('a queue page: %s', async (_what, body) => {
    await expect(clientAnswering(body).alerts(q, { count: 25, offset: 0 }, ctx)).rejects.toMatchObject(
      unreadable,
    );
  });

  it.each([
    ['entries that are not a list', { resourceType: 'Bundle', type: 'searchset', entry: {} }],
    ['an entry without a resource', { resourceType: 'Bundle', type: 'searchset', entry: [{}] }],
    [
      'a next link without a URL',
      { resourceType: 'Bundle', type: 'searchset', entry: [], link: [{ relation: 'next', url: 5 }] },
    ],
  ])('a report page: %s', async (_what, body) => {
    await expect(clientAnswering(body).allAlertResources(q, ctx)).rejects.toMatchObject(unreadable);
  });

  it('counts missing a status', async () => {
    await expect(
      clientAnswering({
        resourceType: 'Parameters',
        parameter: [{ name: 'new', valueInteger: 3 }],
      }).countByStatus(q, ctx),
    ).rejects.toMatchObject(unreadable);
  });

  it('a next link to another server is refused: the officer’s token is never sent there', async () => {
    const c = clientAnswering({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [],
      link: [{ relation: 'next', url: 'https://elsewhere.invalid/AuditEvent?_offset=500' }],
    });
    await expect(c.allAlertResources(q, ctx)).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('sent a link to somewhere else'),
    });
  });
});
