/**
 * Builds the care-roles object: a CMS SignedData (pkijs) over the roles JSON, eContentType id-data, with the
 * role-authority certificate included.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type * as x509 from '@peculiar/x509';
import { OID_ID_DATA } from '../verify/oids';
import type { CryptoKey } from './ca';

export interface CmsSigner {
  /** Certificate named in the SignerInfo and included in the SignedData. */
  cert: x509.X509Certificate;
  /** Key that makes the signature (normally the certificate's; a different one forges a bad signature). */
  key: CryptoKey;
  /** Extra certificates to include (path-building aids). */
  extraCerts?: x509.X509Certificate[];
}

function toPkijs(cert: x509.X509Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(cert.rawData);
}

/** DER of a ContentInfo { signedData } whose encapsulated content is `content`. */
export async function signCareRoles(content: Uint8Array, signer: CmsSigner): Promise<Buffer> {
  const cert = toPkijs(signer.cert);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID_ID_DATA,
      eContent: new asn1js.OctetString({ valueHex: new Uint8Array(content) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
      }),
    ],
    certificates: [cert, ...(signer.extraCerts ?? []).map(toPkijs)],
  });
  await signedData.sign(signer.key, 0, 'SHA-256');
  const info = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signedData.toSchema(true),
  });
  return Buffer.from(info.toSchema().toBER(false));
}
