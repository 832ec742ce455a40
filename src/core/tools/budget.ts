/** Characters of a tool answer when the caller gives no token budget (about 3,000 tokens). */
export const DEFAULT_ANSWER_CHARS = 12000;
const MIN_ANSWER_CHARS = 1500;
const MAX_ANSWER_CHARS = 24000;

/**
 * How long an answer may be: the caller's token budget (about 3 characters a token for JSON and
 * ids, a cautious figure) within sane bounds, else the default.
 */
export function answerChars(tokenBudget?: number): number {
  if (!tokenBudget || !Number.isFinite(tokenBudget) || tokenBudget <= 0) return DEFAULT_ANSWER_CHARS;
  return Math.max(MIN_ANSWER_CHARS, Math.min(MAX_ANSWER_CHARS, Math.floor(tokenBudget * 3)));
}

/**
 * Builds an answer of lines within a character budget. `add` takes body lines while they fit
 * (keeping `reserve` characters for what comes after); once one does not fit, the rest are counted
 * as left out. `tail` lines are always added.
 */
export class Answer {
  private readonly lines: string[] = [];
  private used = 0;
  /** Body lines that did not fit. */
  leftOut = 0;

  constructor(private readonly maxChars: number, private readonly reserve = 600) {}

  /** Adds a line when it fits; answers whether it did. Once one line is left out, all later ones are. */
  add(line: string): boolean {
    if (this.leftOut || this.used + line.length + 1 > this.maxChars - this.reserve) {
      this.leftOut++;
      return false;
    }
    this.push(line);
    return true;
  }

  /** How many more characters a body line may have. */
  get room(): number {
    return Math.max(0, this.maxChars - this.reserve - this.used - 1);
  }

  tail(line: string): void {
    this.push(line);
  }

  private push(line: string): void {
    this.lines.push(line);
    this.used += line.length + 1;
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
