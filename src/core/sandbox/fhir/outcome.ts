import type { OperationOutcome } from '../../fhir/types';

export type IssueCode = 'invalid' | 'not-found' | 'deleted' | 'forbidden' | 'login' | 'not-supported' | 'processing'
  | 'throttled' | 'exception' | 'informational' | 'too-costly' | 'expired' | 'transient';

/** An OperationOutcome with one issue; `text` goes to both details.text and diagnostics. */
export function outcome(severity: 'fatal' | 'error' | 'warning' | 'information', code: IssueCode, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text, details: { text } }] };
}

export function errorOutcome(code: IssueCode, text: string): OperationOutcome {
  return outcome('error', code, text);
}
