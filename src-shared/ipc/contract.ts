/**
 * The one IPC contract between main and renderer.
 * Channels are request/response pairs of zod schemas; events flow main → renderer. Types are derived from the
 * schemas; main validates every request (and parses every response, so fields outside the contract never leak).
 */
import type { z } from 'zod';
import { appChannels } from './channels/app';
import { sessionChannels, sessionEvents } from './channels/session';
import { recordChannels, recordEvents } from './channels/records';
import { auditChannels, auditEvents } from './channels/audit';
import { demoChannels } from './channels/demo';
import { reviewChannels, reviewEvents } from './channels/review';
import type { IpcResult } from './result';
import { channelNames, eventNames } from './names';

export const channels = {
  ...appChannels,
  ...sessionChannels,
  ...recordChannels,
  ...auditChannels,
  ...demoChannels,
  ...reviewChannels,
};

export const events = {
  ...sessionEvents,
  ...recordEvents,
  ...auditEvents,
  ...reviewEvents,
};

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type Req<K extends ChannelName> = z.infer<Channels[K]['request']>;
export type Res<K extends ChannelName> = z.infer<Channels[K]['response']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

type Group<K extends string> = K extends `${infer G}.${string}` ? G : never;
type Method<K extends string, G extends string> = K extends `${G}.${infer M}` ? M : never;

/** The API the preload exposes as `window.stethoscope`, generated from the contract. */
export type StethoscopeApi = {
  readonly [G in Group<ChannelName>]: {
    readonly [K in ChannelName as Method<K, G>]: (request: Req<K>) => Promise<IpcResult<Res<K>>>;
  };
} & {
  readonly events: {
    readonly [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void;
  };
};

// The name lists (used by the preload, which must not bundle zod) must match the contract exactly.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelNamesMatch: Same<(typeof channelNames)[number], ChannelName> = true;
const eventNamesMatch: Same<(typeof eventNames)[number], EventName> = true;
void channelNamesMatch;
void eventNamesMatch;

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}
