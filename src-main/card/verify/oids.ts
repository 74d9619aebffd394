/**
 * Object identifiers the card profile relies on.
 */

/** userId attribute (RFC 4519 "uid"): the 12-digit SDS-style user id in the certificate subject. */
export const OID_UID = '0.9.2342.19200300.100.1.1';

/** Extended key usage: TLS client authentication (RFC 5280). */
export const OID_KP_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/**
 * Extended key usage marking the role authority (signer of the care-roles object). Without it a certificate
 * that chains to the anchor, such as a clinician's own, could sign roles. Allocated under the UUID arc 2.25
 * (ITU-T X.667), which needs no registration.
 */
export const OID_KP_CARE_ROLES_SIGNING = '2.25.149354286630631543296771398127103996528';

/** CMS content type id-data (RFC 5652). */
export const OID_ID_DATA = '1.2.840.113549.1.7.1';

/** CMS content type id-signedData (RFC 5652). */
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
