import type { FileHandle } from 'node:fs/promises';
import type { BodySink } from './directGet';

/**
 * A body sink that appends each piece to `file`, one write at a time and in order, so the file is
 * always a prefix of the body (what a resume needs). `pump` lends its read buffers: each piece is
 * handed back when its own write is done, while later pieces already queue behind it. `drain`
 * waits for the writes still running (also after a failure, before the file is closed).
 */
export function appendingSink(file: FileHandle, onPiece?: (piece: Buffer) => void): { sink: BodySink; drain(): Promise<void> } {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    sink(piece) {
      onPiece?.(piece);
      const written = tail.then(() => file.write(piece));
      tail = written;
      return written.then(() => undefined);
    },
    drain: () => tail.then(() => undefined, () => undefined),
  };
}
