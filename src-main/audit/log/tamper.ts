/**
 * The log was tampered with while open (the schema changed to something that is not ours, a row did not land,
 * the database or its -wal file was replaced or removed). Unlike a full disk this does not clear by itself: the
 * trail refuses every write from then on, until it is restarted and its start-up checks pass again.
 */
export class AuditTamperError extends Error {
  override readonly name = 'AuditTamperError';
}
