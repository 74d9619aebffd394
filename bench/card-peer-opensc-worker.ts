/**
 * Worker for card-peer-opensc.ts: drives OpenSC's PKCS#11 module with pkcs11js. pkcs11js calls block their
 * thread, so they run here, leaving the main thread free (an in-process virtual card answers from it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
// Default import: the constants are assigned at run time, so ESM named-export detection misses them.
import pkcs11js from 'pkcs11js';

export interface PeerWorkerInput {
  modulePath: string;
  pin: string;
  iterations: number;
  /** Index into the token-present slot list (default 0). */
  slotIndex: number;
}

export type PeerWorkerOutput = { ok: true; samples: number[] } | { ok: false; error: string };

function measure(input: PeerWorkerInput): number[] {
  const p11 = new pkcs11js.PKCS11();
  p11.load(input.modulePath);
  p11.C_Initialize();
  try {
    const slots = p11.C_GetSlotList(true);
    const slot = slots[input.slotIndex];
    if (!slot) throw new Error(`no token-present slot #${input.slotIndex} (found ${slots.length})`);
    const samples: number[] = [];
    for (let i = 0; i < input.iterations; i++) {
      // As at sign-in: the challenge is SHA-256 of a fresh nonce, and CKM_ECDSA has the card sign it as the digest.
      const nonce = randomBytes(32);
      const challenge = createHash('sha256').update(nonce).digest();
      const t0 = performance.now();
      const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      let certDer: Buffer;
      let signature: Buffer;
      try {
        p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]);
        const cert = p11.C_FindObjects(session);
        p11.C_FindObjectsFinal(session);
        if (!cert) throw new Error('no certificate on the token');
        const attrs = p11.C_GetAttributeValue(session, cert, [
          { type: pkcs11js.CKA_VALUE },
          { type: pkcs11js.CKA_ID },
        ]);
        certDer = attrs[0]?.value as Buffer;
        const id = attrs[1]?.value as Buffer;
        p11.C_Login(session, pkcs11js.CKU_USER, input.pin);
        p11.C_FindObjectsInit(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: id },
        ]);
        const key = p11.C_FindObjects(session);
        p11.C_FindObjectsFinal(session);
        if (!key) throw new Error('no private key matching the certificate');
        p11.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key);
        signature = p11.C_Sign(session, challenge, Buffer.alloc(128));
      } finally {
        p11.C_CloseSession(session);
      }
      samples.push(performance.now() - t0);
      if (i === 0) {
        // Once, outside the timing: the signature must be real (raw r||s from PKCS#11, 64 bytes for P-256).
        const pub = new X509Certificate(certDer).publicKey;
        const ok = verify('sha256', nonce, { key: pub, dsaEncoding: 'ieee-p1363' }, signature);
        if (!ok) throw new Error('OpenSC signature does not verify with the card certificate');
      }
    }
    return samples;
  } finally {
    p11.C_Finalize();
  }
}

const input = workerData as PeerWorkerInput;
let out: PeerWorkerOutput;
try {
  out = { ok: true, samples: measure(input) };
} catch (err) {
  out = {
    ok: false,
    error: err instanceof Error ? `${err.message}${err.stack ? `\n${err.stack}` : ''}` : String(err),
  };
}
parentPort?.postMessage(out);
