/**
 * What `stethoscope card status` does with the card, as a function: reads the card in a PC/SC reader and reports,
 * as JSON, its identity, certificate, the trust verdict against the given anchors, its roles and PIN tries left;
 * with a PIN it also runs the rest of sign-in (VERIFY, GENERAL AUTHENTICATE over a fresh challenge, signature
 * check). No PIN is sent to a card that is not trusted. Code 0 only for a trusted card (and, with a PIN, a completed
 * sign-in). It runs in a child process of the command (card-status-child.ts): see card-status.ts for why.
 */
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { PivClient, type PinState } from '../../card/piv/client';
import { cardCapabilities } from '../../card/piv/atr';
import { proveCard, readCardObjects, refusalFrom } from '../../card/signin/flow';
import { createCardTrust, loadTrustMaterial } from '../../card/signin/trust';
import type { CardObjects, TrustResult } from '../../card/signin/types';
import { createPcscTransport } from '../../card/transport/pcsc-transport';
import type { CardConnection, CardTransport } from '../../card/transport/types';
import { createLogger } from '../../services/logger';
import type { ProbeRequest, ProbeResult } from './card-status-messages';

interface CertificateFacts {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
}

function certificateFacts(der: Buffer): CertificateFacts | null {
  try {
    const c = new x509.X509Certificate(new Uint8Array(der));
    return {
      subject: c.subject,
      issuer: c.issuer,
      serial: c.serialNumber,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      sha256: createHash('sha256').update(der).digest('hex'),
    };
  } catch {
    return null;
  }
}

function pinJson(p: PinState) {
  return p.state === 'not-verified'
    ? { state: p.state, triesLeft: p.triesLeft }
    : { state: p.state, triesLeft: p.state === 'blocked' ? 0 : null };
}

const fail = (report: Record<string, unknown>, problem: string): ProbeResult => ({
  report,
  problem,
  code: 1,
});
const pass = (report: Record<string, unknown>): ProbeResult => ({ report, problem: null, code: 0 });

export async function probeCard(req: ProbeRequest): Promise<ProbeResult> {
  const trust = req.trust.length > 0 ? createCardTrust(await loadTrustMaterial(req.trust, req.crl)) : null;
  const transport: CardTransport = createPcscTransport({
    log: createLogger('error'),
    exchangeTimeoutMs: req.exchangeTimeoutMs,
  });
  let conn: CardConnection | null = null;
  try {
    await transport.start();
    if (!transport.available())
      return fail({ pcsc: 'unavailable' }, 'PC/SC (pcscd) is not running or not reachable');
    const readers = transport.readers();
    const wanted = req.reader;
    const reader = wanted
      ? (readers.find((r) => r.name === wanted) ?? readers.find((r) => r.name.includes(wanted)))
      : readers.find((r) => r.cardPresent);
    if (!reader) {
      const names = readers.map((r) => r.name);
      return fail(
        { readers: names },
        wanted
          ? `no reader named "${wanted}"`
          : names.length
            ? 'no card in any reader'
            : 'no smartcard reader found',
      );
    }
    if (!reader.cardPresent) return fail({ reader: reader.name }, `no card in reader "${reader.name}"`);

    const out: Record<string, unknown> = { reader: reader.name, atr: reader.atr?.toString('hex') ?? null };
    let objects: CardObjects;
    let piv: PivClient;
    try {
      conn = await transport.connect(reader.name);
      const c = conn;
      piv = new PivClient((apdu) => c.transmit(apdu), cardCapabilities(c.atr));
      objects = await readCardObjects(piv);
    } catch (err) {
      const r = refusalFrom(err);
      out['verdict'] = { ok: false, reason: r.reason, message: r.message };
      return fail(out, `${r.reason}: ${r.message}`);
    }
    out['card'] = {
      guid: objects.chuidGuidHex,
      chuidExpiry: objects.chuidExpiry,
      hasCareRoles: objects.rolesDer !== null,
    };
    out['certificate'] = certificateFacts(objects.certDer);

    let verdict: TrustResult | null = null;
    if (trust) {
      verdict = await trust.verify(objects, new Date());
      out['chain'] = verdict.ok
        ? { ok: true }
        : { ok: false, reason: verdict.reason, message: verdict.message };
      if (verdict.ok) {
        out['holder'] = verdict.holder;
        out['roles'] = verdict.roles;
        out['rolesNotAfter'] = verdict.rolesNotAfter;
      }
    } else {
      out['chain'] = { ok: false, reason: 'not-checked', message: 'no trust anchor given (--trust FILE)' };
    }

    let pinState: PinState;
    try {
      pinState = await piv.pinState();
    } catch (err) {
      const r = refusalFrom(err);
      out['pin'] = { error: r.reason };
      return fail(out, `${r.reason}: ${r.message}`);
    }
    out['pin'] = pinJson(pinState);

    if (!verdict || !trust)
      return fail(out, 'no trust anchor given (--trust FILE), so the card cannot be trusted');
    if (!verdict.ok) {
      if (req.pin !== null)
        out['signIn'] = {
          ok: false,
          attempted: false,
          reason: 'the card is not trusted: no PIN was sent to it',
        };
      return fail(out, `${verdict.reason}: ${verdict.message}`);
    }
    if (req.pin === null) return pass(out);
    if (pinState.state === 'blocked') {
      out['signIn'] = { ok: false, attempted: false, reason: 'card-blocked' };
      return fail(out, 'card-blocked: the card is blocked; take it to your Registration Authority');
    }
    const { ok: _ok, ...card } = verdict;
    const proof = await proveCard(piv, trust, card, req.pin);
    if (proof.ok) {
      out['signIn'] = { ok: true, pinVerified: true, challengeVerified: true };
      return pass(out);
    }
    if (proof.kind === 'wrong-pin') {
      out['signIn'] = { ok: false, reason: 'wrong-pin', triesLeft: proof.triesLeft };
      return fail(out, `wrong PIN, ${proof.triesLeft} tries left`);
    }
    if (proof.kind === 'blocked') {
      out['signIn'] = { ok: false, reason: 'card-blocked' };
      return fail(out, 'card-blocked: wrong PIN, the card is now blocked');
    }
    out['signIn'] = {
      ok: false,
      reason: proof.reason,
      message: proof.message,
      pinVerified: proof.reason === 'key-not-proven',
    };
    return fail(out, `${proof.reason}: ${proof.message}`);
  } finally {
    if (conn) await conn.close();
    await transport.close();
  }
}
