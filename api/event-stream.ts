// Server-sent events on a Fastify reply: the response is taken over (hijacked) and kept open, with a
// heartbeat comment so proxies and idle timers do not close it, until the client goes or the server does.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One open event stream. */
export interface EventStream {
  /** Sends one event (its data as JSON); ignored once the stream is closed. */
  send(event: string, data: unknown): void;
  /** Ends the response (the client will not hear from this stream again). */
  close(): void;
  /** Calls `fn` once when the stream closes, whoever closed it. */
  onClose(fn: () => void): void;
}

/** Every stream still open, so the server can end them when it closes (else it waits for them forever). */
const open = new Set<EventStream>();

/** Ends every open stream (the app's preClose hook). */
export function closeAllEventStreams(): void {
  for (const s of [...open]) s.close();
}

export function openEventStream(
  req: FastifyRequest,
  reply: FastifyReply,
  o: { heartbeatMs: number; retryMs: number },
): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform: a compressing proxy must not buffer the stream into chunks.
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  });
  // The socket has no idle timeout of its own while the stream is open; the heartbeat keeps middleboxes awake.
  req.raw.socket.setTimeout(0);
  res.write(`retry: ${o.retryMs}\n\n`);
  let closed = false;
  const closers: (() => void)[] = [];
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), o.heartbeatMs);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    open.delete(stream);
    for (const fn of closers) fn();
  };
  res.on('close', finish);
  const stream: EventStream = {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (closed) return;
      res.end();
      finish();
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
  };
  open.add(stream);
  return stream;
}
