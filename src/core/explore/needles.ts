// A cheap, exact pre-check for filters: when an expression can only be true if a resource holds
// a certain string (`code.coding.code = '8867-4'`), a line that does not contain that string's
// JSON text cannot match and is skipped without being parsed. Exact because JSON may write a
// character in a string only as itself or as an escape: a line with no `\u` (and no `\/` when
// the string has a "/") holds the string's one canonical spelling or does not hold it at all.
import { parseTree, stringLiteralValue } from './fhirpath';

interface Node {
  type: string;
  text?: string;
  children?: Node[];
}

/** Dates, times and numbers may compare equal in other spellings: no pre-check for them. */
const NOT_SAFE = /^(\d{4}(-\d{2}(-\d{2})?)?(T.*)?|T?\d{2}:\d{2}.*|\s*[-+]?\d+(\.\d+)?\s*|true|false)$/;

function unwrap(n: Node): Node {
  let x = n;
  while ((x.type === 'EntireExpression' || x.type === 'TermExpression' || x.type === 'ParenthesizedTerm') && x.children?.length === 1) x = x.children[0];
  return x;
}

/** A plain path: members only (`code.coding.code`), no functions, no `$this`, no literals. */
function isPath(n: Node): boolean {
  const x = unwrap(n);
  if (x.type === 'InvocationTerm') return x.children?.length === 1 && x.children[0].type === 'MemberInvocation';
  if (x.type === 'InvocationExpression') {
    const [base, step] = x.children ?? [];
    return !!base && !!step && step.type === 'MemberInvocation' && isPath(base);
  }
  return false;
}

function stringLiteral(n: Node): string | undefined {
  const x = unwrap(n);
  if (x.type !== 'LiteralTerm' || x.children?.[0]?.type !== 'StringLiteral' || typeof x.text !== 'string') return undefined;
  const value = stringLiteralValue(x.text);
  return value !== undefined && value.length > 0 && !NOT_SAFE.test(value) ? value : undefined;
}

/** The name and parameters of a function call node (`where(...)`, `exists(...)`). */
function call(n: Node): { name: string; params: Node[] } | undefined {
  if (n.type !== 'FunctionInvocation') return undefined;
  const fn = n.children?.[0];
  if (fn?.type !== 'Functn') return undefined;
  const name = fn.children?.[0]?.text ?? '';
  const params = fn.children?.find((c) => c.type === 'ParamList')?.children ?? [];
  return { name, params };
}

/** Strings the node's value can only be true (or non-empty) with; undefined when nothing is known. */
function required(n: Node): string[] | undefined {
  const x = unwrap(n);
  switch (x.type) {
    case 'AndExpression': {
      const [a, b] = x.children ?? [];
      const left = a ? required(a) : undefined;
      const right = b ? required(b) : undefined;
      return left || right ? [...(left ?? []), ...(right ?? [])] : undefined;
    }
    case 'EqualityExpression': {
      if (x.text !== '=') return undefined;
      const [a, b] = x.children ?? [];
      if (!a || !b) return undefined;
      const literal = isPath(a) ? stringLiteral(b) : isPath(b) ? stringLiteral(a) : undefined;
      return literal === undefined ? undefined : [literal];
    }
    case 'InvocationExpression': {
      const [base, step] = x.children ?? [];
      const c = step ? call(step) : undefined;
      if (!c || !base) return undefined;
      // x.where(crit) is non-empty, x.exists(crit) true, x.where(crit).exists() true: crit held for some item
      if ((c.name === 'where' || c.name === 'exists') && c.params.length === 1) return required(c.params[0]);
      if (c.name === 'exists' && c.params.length === 0) {
        const inner = unwrap(base);
        if (inner.type === 'InvocationExpression') {
          const w = inner.children?.[1] ? call(inner.children[1]) : undefined;
          if (w?.name === 'where' && w.params.length === 1) return required(w.params[0]);
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The JSON texts (no quotes) a line must contain for `expression` to match it; [] when no pre-check applies. */
export function filterNeedles(expression: string): string[] {
  const tree = parseTree(expression) as Node | undefined;
  if (!tree) return [];
  const found = required(tree) ?? [];
  return [...new Set(found)].map((s) => JSON.stringify(s).slice(1, -1));
}

/**
 * Decides line by line whether a line may match: it holds every needle, or holds an escape that
 * could spell one differently. Positions found are kept while the buffer is read in order, so a
 * chunk with few candidates costs about one `indexOf` per needle.
 */
export class Prefilter {
  private readonly needles: Buffer[];
  private readonly slash: boolean;
  private buf: Buffer | undefined;
  private last = -1;
  private next: number[] = [];
  private nextU = -2;
  private nextSlash = -2;

  constructor(needles: readonly string[]) {
    this.needles = needles.map((n) => Buffer.from(n, 'utf8'));
    this.slash = needles.some((n) => n.includes('/'));
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  private find(at: number, from: number, pattern: Buffer | string): number {
    // -2: not searched yet since the buffer changed; -1: not in the rest of the buffer
    if (at === -1 || (at >= from && at !== -2)) return at;
    return this.buf!.indexOf(pattern, from);
  }

  /** Whether the line `buf[from, to)` must be evaluated. */
  candidate(buf: Buffer, from: number, to: number): boolean {
    if (!this.needles.length) return true;
    if (buf !== this.buf || from < this.last) {
      this.buf = buf;
      this.next = this.needles.map(() => -2);
      this.nextU = -2;
      this.nextSlash = -2;
    }
    this.last = from;
    this.nextU = this.find(this.nextU, from, '\\u');
    if (this.nextU !== -1 && this.nextU < to) return true;
    if (this.slash) {
      this.nextSlash = this.find(this.nextSlash, from, '\\/');
      if (this.nextSlash !== -1 && this.nextSlash < to) return true;
    }
    for (let i = 0; i < this.needles.length; i++) {
      const at = this.find(this.next[i], from, this.needles[i]);
      this.next[i] = at;
      // a needle reaching past the line's end is not in the line
      if (at === -1 || at + this.needles[i].length > to) return false;
    }
    return true;
  }
}
