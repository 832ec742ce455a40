// Bundled on its own (dist/lazy/telemetry.js) so activation never loads the telemetry client.
import { TelemetryReporter } from '@vscode/extension-telemetry';

export function createReporter(connectionString: string): TelemetryReporter {
  return new TelemetryReporter(connectionString);
}
