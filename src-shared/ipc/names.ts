/**
 * Channel and event names only, for the preload bundle (no zod). contract.ts proves at compile time that these
 * lists equal the contract's keys.
 */
export const channelNames = [
  'app.info',
  'session.get',
  'session.submitPin',
  'session.selectRole',
  'session.signOut',
  'session.activity',
  'patients.search',
  'encounter.open',
  'encounter.close',
  'encounter.claimRelationship',
  'ptv.record',
  'encounter.alertDelivery',
  'record.scr',
  'record.mig',
  'preferences.get',
  'preferences.set',
  'audit.status',
  'demo.state',
  'demo.insert',
  'demo.remove',
  'review.queue',
  'review.alert',
  'review.act',
  'review.sample',
  'review.purposes',
  'review.report',
  'review.extract',
] as const;

export const eventNames = [
  'sessionChanged',
  'readersChanged',
  'alertDelivery',
  'auditStatus',
  'reviewNotice',
] as const;

/** The Electron IPC channel that carries a contract channel or event. */
export const IPC_PREFIX = 'stethoscope:';
