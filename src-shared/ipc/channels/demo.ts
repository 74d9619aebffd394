/** Demo-mode channels: the demo reader panel inserts, removes and swaps virtual cards. Refused outside demo mode. */
import { z } from 'zod';
import { channel } from '../define';

export const DemoCard = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  pin: z.string(),
});
export type DemoCard = z.infer<typeof DemoCard>;

export const DemoReaderState = z.object({
  cards: z.array(DemoCard),
  /** Id of the card in the demo reader, or null when it is empty. */
  inserted: z.string().nullable(),
});
export type DemoReaderState = z.infer<typeof DemoReaderState>;

export const demoChannels = {
  'demo.state': channel(z.object({}).strict(), DemoReaderState),
  'demo.insert': channel(z.object({ cardId: z.string().min(1).max(64) }).strict(), DemoReaderState),
  'demo.remove': channel(z.object({}).strict(), DemoReaderState),
};
