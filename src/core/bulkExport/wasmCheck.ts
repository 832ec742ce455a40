import { JSON_CHECK_WASM } from './jsonCheckWasm';

/** What `check` says of one line (see wasm/jsoncheck.c). */
export const LineResult = { Ok: 0, Blank: 1, NotJson: 2, NotObject: 3, NoType: 4, OtherType: 5 } as const;
export type LineResult = (typeof LineResult)[keyof typeof LineResult];

/** The WebAssembly line check: load bytes into its buffer, then check lines by offsets into it. */
export interface WasmChecker {
  /** Bytes the buffer holds. */
  readonly capacity: number;
  /** Copies b[start, end) to the start of the buffer. */
  load(b: Uint8Array, start: number, end: number): void;
  /** The expected resourceType, JSON-quoted (`"Patient"`). */
  expect(quoted: Uint8Array): void;
  check(start: number, end: number): LineResult;
  /** Offsets in the buffer of the resourceType the last check found (quotes included). */
  typeSpan(): [number, number];
}

interface Exports {
  memory: { buffer: ArrayBuffer };
  buffer(): number;
  bufferSize(): number;
  expected(): number;
  check(start: number, end: number, wantLength: number): number;
  typeStart(): number;
  typeEnd(): number;
}

let shared: WasmChecker | null | undefined;

/**
 * The shared checker, compiled on first use (3 KB, synchronously); undefined where WebAssembly
 * SIMD is not available, and the verifier then uses the JavaScript check. One instance serves
 * every download: each verifier loads its bytes and checks them without yielding in between.
 */
export function wasmChecker(): WasmChecker | undefined {
  if (shared === undefined) {
    try {
      shared = create();
    } catch {
      shared = null;
    }
  }
  return shared ?? undefined;
}

// the project's lib settings carry no WebAssembly types; these are the two constructors used
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function create(): WasmChecker {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const x = new api.Instance(new api.Module(Buffer.from(JSON_CHECK_WASM, 'base64')), {}).exports as Exports;
  const base = x.buffer();
  const expectedAt = x.expected();
  let wantLength = 0;
  // the module never grows its memory, so one view stays valid
  const memory = new Uint8Array(x.memory.buffer);
  return {
    capacity: x.bufferSize(),
    load(b, start, end) {
      memory.set(b.subarray(start, end), base);
    },
    expect(quoted) {
      if (quoted.length > 256) throw new RangeError('resource type too long');
      memory.set(quoted, expectedAt);
      wantLength = quoted.length;
    },
    check: (start, end) => x.check(start, end, wantLength) as LineResult,
    typeSpan: () => [x.typeStart(), x.typeEnd()],
  };
}
