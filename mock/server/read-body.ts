import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../http/parse-body.js';

export interface ReadBody {
  readonly text: string | null;
  readonly tooLarge: boolean;
}

/**
 * Reads a request body, keeping at most `MAX_BODY_BYTES`: a larger body is drained and discarded, so
 * a client streaming megabytes costs no memory and still gets its 413 answer.
 */
export function readBody(request: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) resolve({ text: null, tooLarge });
      else resolve({ text: size === 0 ? null : Buffer.concat(chunks, size).toString('utf8'), tooLarge });
    });
    request.on('error', reject);
  });
}
