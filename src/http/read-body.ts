import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body that could not be read as asked: answer with `status` and `message`. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Refuses (415) a body that is not declared `application/json`: a page on another site can make a
 * browser post `text/plain` or form data without asking, but not JSON.
 */
export function requireJson(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new BodyError(415, 'envíe el cuerpo como application/json');
}

/**
 * Reads a request body up to `maxBytes` (counted as it arrives, so a chunked body without
 * Content-Length cannot grow past it) and parses it as JSON. Throws `BodyError`.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyError(413, `el cuerpo pasa de ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'el cuerpo no es JSON válido');
  }
}

/** Sends a JSON response (no caching: replies are per person). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res
    .writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(data),
      'Cache-Control': 'no-store',
      ...headers,
    })
    .end(data);
}
