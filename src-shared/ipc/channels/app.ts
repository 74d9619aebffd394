/** Channels about the application itself. */
import { z } from 'zod';
import { channel } from '../define';

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['demo', 'live']),
  workstationId: z.string(),
  host: z.enum(['electron', 'browser-host']),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appChannels = {
  'app.info': channel(z.object({}).strict(), AppInfo),
};
