import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Telemetry, TelemetryEventName, TelemetryMeasurements, TelemetryProperties } from '../core/telemetry';

/** Set at build time (esbuild `define`); empty means nothing is ever sent. */
const CONNECTION_STRING = process.env.ONEUP_TELEMETRY_CONNECTION_STRING ?? '';

interface Reporter { sendTelemetryEvent(name: string, p?: Record<string, string>, m?: Record<string, number>): void; dispose(): Promise<unknown> }

/**
 * Telemetry through @vscode/extension-telemetry, which honours the user's telemetry level.
 * The reporter (a large module) is loaded on the first event, never during activation, and
 * not at all when the build has no connection string.
 */
export class HostTelemetry implements Telemetry, vscode.Disposable {
  private reporter: Reporter | undefined;

  sendEvent<E extends TelemetryEventName>(name: E, properties?: TelemetryProperties<E>, measurements?: TelemetryMeasurements<E>): void {
    if (!CONNECTION_STRING || !vscode.env.isTelemetryEnabled) return;
    try {
      if (!this.reporter) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(__dirname, 'lazy', 'telemetry.js')) as { createReporter(cs: string): Reporter };
        this.reporter = mod.createReporter(CONNECTION_STRING);
      }
      this.reporter.sendTelemetryEvent(name, properties as Record<string, string> | undefined, measurements as Record<string, number> | undefined);
    } catch {
      // telemetry must never break a command
    }
  }

  dispose(): void {
    void this.reporter?.dispose();
  }
}
