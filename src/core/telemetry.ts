/**
 * Usage telemetry as the core and UI see it. Only command ids, durations, outcomes and error
 * classes may be sent: never PHI, ids, URLs, secrets or free text.
 */
export interface Telemetry {
  sendEvent(name: string, properties?: Record<string, string>, measurements?: Record<string, number>): void;
}

export const nullTelemetry: Telemetry = { sendEvent() {} };
