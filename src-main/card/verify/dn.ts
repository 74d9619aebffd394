/**
 * Distinguished-name strings for the care-roles binding, in RFC 4514 order (last RDN of the certificate first).
 * @peculiar/x509 prints and parses names in certificate order, so the RDN sequence is reversed here.
 */
import * as x509 from '@peculiar/x509';

/** RFC 4514 string of a name. */
export function toRfc4514(name: x509.Name): string {
  return new x509.Name([...name.toJSON()].reverse()).toString();
}

/** True when the RFC 4514 string names exactly `name` (compared as DER after parsing). */
export function sameName(rfc4514: string, name: x509.Name): boolean {
  let parsed: x509.Name;
  try {
    parsed = new x509.Name([...new x509.Name(rfc4514).toJSON()].reverse());
  } catch {
    return false;
  }
  return Buffer.from(parsed.toArrayBuffer()).equals(Buffer.from(name.toArrayBuffer()));
}
