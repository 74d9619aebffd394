/**
 * Helpers to declare IPC channels and events.
 * A channel is a pair of zod schemas (request, response); an event is one payload schema sent main → renderer.
 */
import type { z } from 'zod';

export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
): ChannelDef<Req, Res> {
  return { request, response };
}
