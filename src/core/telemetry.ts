/**
 * Every telemetry event the extension can send, with its properties and measurements. Only
 * command ids, durations, outcomes and error classes may be sent: never PHI, ids of users or
 * resources, URLs, secrets or free text. `telemetry.json` at the root documents the same table
 * for users and reviewers (a unit test keeps the two in step), and `sendEvent` accepts nothing else.
 */
export const TelemetryEvents = {
  command: { properties: ['id', 'outcome', 'errorClass'], measurements: ['durationMs'] },
  tool: { properties: ['id', 'outcome'], measurements: ['durationMs'] },
} as const;

type Events = typeof TelemetryEvents;
export type TelemetryEventName = keyof Events;
export type TelemetryProperties<E extends TelemetryEventName> = Partial<Record<Events[E]['properties'][number], string>>;
export type TelemetryMeasurements<E extends TelemetryEventName> = Partial<Record<Events[E]['measurements'][number], number>>;

/** Usage telemetry as the core and UI see it. */
export interface Telemetry {
  sendEvent<E extends TelemetryEventName>(name: E, properties?: TelemetryProperties<E>, measurements?: TelemetryMeasurements<E>): void;
}

export const nullTelemetry: Telemetry = { sendEvent() {} };
