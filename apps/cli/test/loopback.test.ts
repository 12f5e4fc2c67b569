// The loopback callback listener on its own: closing it never cuts off the page of a callback
// being answered, and a callback after close changes nothing.
import { describe, expect, it } from 'vitest';
import { startLoopbackListener } from '../src/loopback.js';

describe('the loopback listener', () => {
  it('sends the page of a callback in flight before close() resolves, then refuses late callbacks', async () => {
    let handled = 0;
    let closed: Promise<void> | undefined;
    const listener = await startLoopbackListener(0, async () => {
      handled += 1;
      // The caller closes while the callback is still being answered, as `connect` does when its
      // poll sees the connection ACTIVE before the browser has the page.
      closed = listener.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return new Response('<h1>Connected</h1>', { headers: { 'content-type': 'text/html' } });
    });
    const page = await fetch(`${listener.redirectUri}?code=abc`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<h1>Connected</h1>');
    await closed;
    await expect(fetch(`${listener.redirectUri}?code=late`)).rejects.toThrow(TypeError);
    expect(handled).toBe(1);
  });

  it('answers anything but GET /callback with 404 without handling it', async () => {
    let handled = 0;
    const listener = await startLoopbackListener(0, async () => {
      handled += 1;
      return new Response('no');
    });
    try {
      const other = await fetch(listener.redirectUri.replace('/callback', '/favicon.ico'));
      expect(other.status).toBe(404);
      const posted = await fetch(listener.redirectUri, { method: 'POST' });
      expect(posted.status).toBe(404);
      expect(handled).toBe(0);
    } finally {
      await listener.close();
    }
  });
});
