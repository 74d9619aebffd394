/** Channels and events for the smartcard session (sign-in, role selection, lock, sign-out). */
import { z } from 'zod';
import { channel } from '../define';
import { Pin } from '../../domain/pin';
import { SessionView, ReaderInfo } from '../../domain/session';

export { Pin };

export const sessionChannels = {
  'session.get': channel(z.object({}).strict(), SessionView),
  /** Submits the PIN for sign-in or unlock. A wrong PIN answers the view with tries left, not an error. */
  'session.submitPin': channel(z.object({ pin: Pin }).strict(), SessionView),
  'session.selectRole': channel(z.object({ urid: z.string().min(1).max(64) }).strict(), SessionView),
  /** The signed-in user changes role profile without removing the card: main shows the role choice again. */
  'session.changeRole': channel(z.object({}).strict(), SessionView),
  'session.signOut': channel(z.object({}).strict(), SessionView),
  /** The renderer reports user activity (throttled) so main can apply the idle lock. */
  'session.activity': channel(z.object({}).strict(), z.object({})),
};

export const sessionEvents = {
  sessionChanged: SessionView,
  readersChanged: z.object({ readers: z.array(ReaderInfo) }),
};
