// Serves dist/ with `astro preview` on a free port for the browser benchmarks.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export async function serveDist(): Promise<{ base: string; stop(): void }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn(process.execPath, ['node_modules/astro/astro.js', 'preview', '--port', String(port), '--host', '127.0.0.1'], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(base + '/')).ok) return { base, stop: () => child.kill() };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill();
  throw new Error('astro preview did not start');
}
