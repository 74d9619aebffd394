/**
 * The sign-in trust port backed by the card verifier (src-main/card/verify): trust anchors and CRLs from files,
 * a caching verifier (a card seen before skips path and CMS validation while its verdict holds), and the
 * challenge-signature check.
 */
import { readFile } from 'node:fs/promises';
import * as x509 from '@peculiar/x509';
import { createTrustStore, createVerifier, verifyChallengeSignature } from '../verify/index';
import type { CardTrustPort } from './types';

export interface TrustMaterial {
  /** PEM texts: self-signed roots become anchors, other CA certificates intermediates. */
  anchorsPem: string[];
  crlsDer: Buffer[];
}

/** Reads PEM certificate files and DER-or-PEM CRL files; a missing or empty file is an error worth stopping for. */
export async function loadTrustMaterial(
  anchorFiles: readonly string[],
  crlFiles: readonly string[],
): Promise<TrustMaterial> {
  const anchorsPem = await Promise.all(
    anchorFiles.map(async (f) => {
      const text = await readFile(f, 'utf8');
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${f}: no PEM certificate`);
      return text;
    }),
  );
  const crlsDer = (
    await Promise.all(
      crlFiles.map(async (f) => {
        const raw = await readFile(f);
        const text = raw.toString('latin1');
        if (!text.includes('-----BEGIN')) return [raw];
        const blocks = x509.PemConverter.decode(text).map((b) => Buffer.from(b));
        if (blocks.length === 0) throw new Error(`${f}: no CRL`);
        return blocks;
      }),
    )
  ).flat();
  return { anchorsPem, crlsDer };
}

export function createCardTrust(material: TrustMaterial, opts: { cacheSize?: number } = {}): CardTrustPort {
  const store = createTrustStore({ anchorsPem: material.anchorsPem, crlsDer: material.crlsDer });
  const verifier = createVerifier(store, { cacheSize: opts.cacheSize ?? 32 });
  return {
    async verify(objects, now) {
      const v = await verifier.verify(
        { chuid: objects.chuid, certDer: objects.certDer, rolesDer: objects.rolesDer },
        now,
      );
      if (!v.ok) return v;
      return {
        ok: true,
        holder: v.holder,
        cardGuid: v.cardGuid,
        certSha256Hex: v.certSha256Hex,
        certDer: v.certDer,
        issuersDer: v.issuersDer,
        publicKey: v.publicKey,
        roles: v.roles,
        rolesNotAfter: v.rolesNotAfter,
        certNotAfter: v.certNotAfter,
      };
    },
    verifyChallenge: (card, nonce, signature) => verifyChallengeSignature(card.publicKey, nonce, signature),
  };
}
