/**
 * Extended key usage test that works for every OID. asn1js decodes arcs above 2^53 (such as the 2.25 UUID arc)
 * into a hex form rather than decimal, so the wanted OID is put through the same encode/decode round trip and
 * compared in that form.
 */
import * as x509 from '@peculiar/x509';

const canonical = new Map<string, string>();

function decodedForm(oid: string): string {
  let form = canonical.get(oid);
  if (form === undefined) {
    const roundTrip = new x509.ExtendedKeyUsageExtension(new x509.ExtendedKeyUsageExtension([oid]).rawData);
    form = String(roundTrip.usages[0]);
    canonical.set(oid, form);
  }
  return form;
}

/** True when the certificate has an extendedKeyUsage extension listing `oid`. */
export function hasEku(cert: x509.X509Certificate, oid: string): boolean {
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  if (!eku) return false;
  const want = decodedForm(oid);
  return eku.usages.some((u) => String(u) === want);
}
