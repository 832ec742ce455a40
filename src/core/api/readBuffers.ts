// Read buffers of finished downloads, kept for the next ones (an export runs dozens of files, 4 at
// a time): without this, each file's buffers would be garbage until the next collection. At most
// 16 (4 MB) are kept, and only for a while after the last download.

export const READ_BUFFER_BYTES = 256 * 1024;
const MAX_SPARE = 16;
const SPARE_IDLE_MS = 30_000;
const spare: Buffer[] = [];
let spareTimer: NodeJS.Timeout | undefined;

/** A read buffer of `size` bytes: a kept one when it has the usual size. */
export function takeBuffer(size: number): Buffer {
  return (size === READ_BUFFER_BYTES && spare.pop()) || Buffer.allocUnsafe(size);
}

/** Gives back a buffer nothing refers to any more. */
export function giveBack(buf: Buffer): void {
  if (buf.length !== READ_BUFFER_BYTES || spare.length >= MAX_SPARE) return;
  spare.push(buf);
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => { spare.length = 0; }, SPARE_IDLE_MS);
  spareTimer.unref();
}
