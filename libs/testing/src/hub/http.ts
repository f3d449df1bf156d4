import type { IncomingMessage, ServerResponse } from 'node:http';

/** The `X-Error-Code` values the Hub sets on its 4xx answers, which clients use to tell what was missing. */
export type HubErrorCode = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: HubErrorCode,
  ) {
    super(message);
  }
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

export const sendError = (res: ServerResponse, error: HttpError): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(
    res,
    error.status,
    { error: error.message },
    {
      ...(error.code && { 'X-Error-Code': error.code }),
      // Header values must be Latin-1; the Hub's messages are plain ASCII.
      'X-Error-Message': error.message.replace(/[^\x20-\x7e]/g, '?'),
    },
  );
};

export const readBody = async (req: IncomingMessage, limitBytes: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, `request body larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

export const readJson = async (req: IncomingMessage, limitBytes: number): Promise<Record<string, unknown>> => {
  const body = (await readBody(req, limitBytes)).toString('utf8');
  try {
    const parsed: unknown = body ? JSON.parse(body) : {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'body must be a JSON object');
};
