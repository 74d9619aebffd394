/**
 * The child process of `stethoscope card status` (see card-status.ts): takes one ProbeRequest from its parent over
 * IPC and answers one ProbeResult; the parent then ends it (if a card exchange is still stuck in PC/SC this process
 * could not exit by itself: libuv waits for its pool threads at exit).
 */
import { ProbeRequest, type ProbeResult } from './card-status-messages';
import { probeCard } from './card-status-probe';

function answer(result: ProbeResult): void {
  process.send?.(result);
  process.disconnect?.();
}

process.once('message', (message: unknown) => {
  const request = ProbeRequest.safeParse(message);
  if (!request.success) {
    answer({ report: null, problem: 'internal error: a malformed request reached the card check', code: 1 });
    return;
  }
  probeCard(request.data).then(answer, (err: unknown) =>
    answer({ report: null, problem: err instanceof Error ? err.message : String(err), code: 1 }),
  );
});
