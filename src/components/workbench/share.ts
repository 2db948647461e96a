/**
 * Share links: `#code=<deflate-raw, base64url>&seed=N`. Uses the browser's CompressionStream, so
 * no dependency. Opening such a link loads the code but never runs it.
 */

export interface SharedCode {
  code: string;
  seed?: number;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The most code a share link may unpack to: a few links of deflate can otherwise expand to gigabytes. */
export const MAX_SHARED_BYTES = 256 * 1024;

/**
 * Inflates `bytes`, reading at most `limit + 1` bytes of output: the result is longer than
 * `limit` only when the link carries too much, and a deflate bomb never fills memory.
 */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      break;
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The hash fragment (without `#`) that carries `code` and `seed`. */
export async function encodeShare(code: string, seed: number): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(code), new CompressionStream('deflate-raw'));
  return `code=${toBase64Url(packed)}&seed=${seed}`;
}

/**
 * Reads a hash fragment (with or without `#`). Undefined when it carries no `code`; throws
 * with a readable message when the code cannot be decoded (a truncated link).
 */
export async function decodeShare(hash: string): Promise<SharedCode | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('code');
  if (packed === null) return undefined;
  // Even empty code encodes to a few characters: an empty value is a link cut at `code=`.
  if (packed === '') throw new Error('this link has an empty code= part, so it carries no code (was the link cut short?)');
  let bytes: Uint8Array | undefined;
  try {
    bytes = await inflate(fromBase64Url(packed), MAX_SHARED_BYTES);
  } catch {
    /* reported below */
  }
  if (bytes === undefined) throw new Error('the shared code in this link is damaged (was the link cut short?)');
  if (bytes.length > MAX_SHARED_BYTES) {
    throw new Error(`the shared code in this link unpacks to more than ${MAX_SHARED_BYTES / 1024} KB, more than any lab needs, so it was not loaded`);
  }
  let code: string;
  try {
    code = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('the shared code in this link is damaged (was the link cut short?)');
  }
  const seedText = params.get('seed');
  const seed = seedText !== null && /^\d+$/.test(seedText) && Number(seedText) <= 0xffffffff ? Number(seedText) : undefined;
  return seed === undefined ? { code } : { code, seed };
}
