import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mock/index.js';
import { MAX_UNANSWERED, MAX_UNSENT_BYTES } from '../../mock/server/socket-turns.js';

// One connection that pipelines requests and never reads its answers once took about 1 GB: the
// server read every request and kept every answer. Now it stops reading such a connection, and
// drops the work of one that closed.

const PIPELINED = 5_000;
// An answer of about 3 KB, so the operating system's socket buffers fill after a few thousand.
const REQUEST = 'GET /_mock/state HTTP/1.1\r\nhost: localhost\r\n\r\n';
// Node parses a whole chunk it read (up to 64 KiB) before the server can stop reading.
const CHUNK_REQUESTS = Math.ceil((64 * 1024) / REQUEST.length);

let answered = 0;
let server: MockServer;
afterAll(async () => {
  await server?.close();
});

async function start(): Promise<MockServer> {
  server ??= await createMockServer({
    port: 0,
    shutdownTimeoutMs: 0,
    onRequest: () => {
      answered += 1;
    },
  });
  return server;
}

/** A client that sends `count` pipelined requests and reads nothing. */
async function flood(url: string, count: number): Promise<Socket> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.pause();
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(REQUEST.repeat(count));
  return socket;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Waits until `read()` gives the same value ten times in a row (the server is stuck on the client). */
async function settled<T>(read: () => T): Promise<T> {
  let last = JSON.stringify(read());
  let same = 0;
  for (let i = 0; i < 400 && same < 10; i += 1) {
    await tick();
    const now = JSON.stringify(read());
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return read();
}

describe('a connection that pipelines without reading', () => {
  it('holds a bounded backlog, reads on once its answers are read, and answers every request', async () => {
    const { url } = await start();
    answered = 0;
    const socket = await flood(url, PIPELINED);
    const held = await settled(() => ({ ...server.backlog(), answered }));
    expect(held.connections).toBe(1);
    expect(held.requests).toBeLessThanOrEqual(MAX_UNANSWERED + CHUNK_REQUESTS);
    expect(held.bytes).toBeLessThanOrEqual(MAX_UNSENT_BYTES + 4096);
    // The server stopped reading: most of the pipeline is still in the operating system's buffers.
    expect(held.answered + held.requests).toBeLessThan(PIPELINED);

    let statuses = 0;
    let tail = '';
    const all = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        const text = tail + chunk.toString('latin1');
        statuses += text.split('HTTP/1.1 200 OK').length - 1;
        tail = text.slice(-20);
        if (statuses === PIPELINED) resolve();
      });
    });
    socket.resume();
    await all;
    expect(statuses).toBe(PIPELINED);
    expect(server.backlog().requests).toBe(0);
    socket.destroy();
  }, 60_000);

  it('drops the queued work of a connection that closed', async () => {
    const { url } = await start();
    const socket = await flood(url, PIPELINED);
    await settled(() => ({ ...server.backlog(), answered }));
    socket.destroy();
    const after = await settled(() => ({ ...server.backlog(), answered }));
    expect(after.connections).toBe(0);
    expect(after.requests).toBe(0);
    // Nothing more is answered for it: a later look finds the same count.
    await tick();
    expect(answered).toBe(after.answered);
  }, 60_000);
});
