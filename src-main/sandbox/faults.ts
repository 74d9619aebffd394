/**
 * Fault injection per service, set by tests and benchmarks (never by a request):
 *   slow                 wait `ms` before handling
 *   status               answer `status` (e.g. 503) with an OperationOutcome, without handling; with `times`,
 *                        the requests after those succeed again
 *   drop                 close the connection before handling (nothing happened)
 *   lose-reply           handle, then close the connection without answering (it happened; the client
 *                        cannot know)
 *   reset                handle, send the headers and the first `afterBytes` of the body, then reset (RST)
 *   truncated            handle, promise the whole body (Content-Length), send `afterBytes`, then close (FIN)
 *   oversized            answer 200 with a JSON body of `bytes` (default 10 MiB + 1 KiB), sent chunked
 *   wrong-content-type   the real answer under another content type (default text/html)
 *   not-json             200 application/fhir+json whose body is not JSON (an error page)
 * Faults queue per service in the order added; each request takes the first one that matches its method and
 * path (below the service's base) and uses it up after `times` requests (default 1; Infinity for always).
 */

export type FaultKind =
  | { kind: 'slow'; ms: number }
  | { kind: 'status'; status: number; message?: string }
  | { kind: 'drop' }
  | { kind: 'lose-reply' }
  | { kind: 'reset'; afterBytes?: number }
  | { kind: 'truncated'; afterBytes?: number }
  | { kind: 'oversized'; bytes?: number }
  | { kind: 'wrong-content-type'; contentType?: string }
  | { kind: 'not-json' };

export type Fault = FaultKind & {
  times?: number;
  match?: { method?: string; path?: string | RegExp };
};

export const OVERSIZED_DEFAULT_BYTES = 10 * 1024 * 1024 + 1024;

interface Queued {
  fault: Fault;
  left: number;
}

export class FaultBook<S extends string = string> {
  private readonly queues = new Map<S, Queued[]>();
  private readonly refused = new Set<string>();

  /** Replaces the service's faults with this one. */
  set(service: S, fault: Fault): void {
    this.queues.set(service, [{ fault, left: fault.times ?? 1 }]);
  }

  /** Adds a fault after the service's others. */
  add(service: S, fault: Fault): void {
    const q = this.queues.get(service) ?? [];
    q.push({ fault, left: fault.times ?? 1 });
    this.queues.set(service, q);
  }

  clear(service?: S): void {
    if (service === undefined) {
      this.queues.clear();
      this.refused.clear();
    } else this.queues.delete(service);
  }

  /** Faults still waiting for this service. */
  pending(service: S): number {
    return (this.queues.get(service) ?? []).reduce((n, q) => n + q.left, 0);
  }

  /** The fault for this request, used up by taking it; null when none applies. */
  take(service: S, method: string, path: string): FaultKind | null {
    const q = this.queues.get(service);
    if (!q) return null;
    const i = q.findIndex(({ fault: { match } }) => {
      if (match?.method && match.method !== method) return false;
      if (match?.path === undefined) return true;
      return typeof match.path === 'string' ? match.path === path : match.path.test(path);
    });
    if (i < 0) return null;
    const item = q[i] as Queued;
    item.left -= 1;
    if (item.left <= 0) q.splice(i, 1);
    const { times: _t, match: _m, ...kind } = item.fault;
    return kind as FaultKind;
  }

  /** The audit repository answers 422 for these AuditEvent ids, in batches too (until cleared). */
  refuseAuditEvents(ids: Iterable<string>): void {
    for (const id of ids) this.refused.add(id);
  }

  get refusedAuditEvents(): ReadonlySet<string> {
    return this.refused;
  }
}
