import * as vscode from 'vscode';
import { Logger, SecretMasker } from '../core/log';

/**
 * The one "1upHealth" log channel. Every line goes through the masker, so a secret the
 * extension knows about (client secret, tokens, codes) never reaches the channel.
 */
export class ChannelLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly lines: string[] = [];

  constructor(readonly masker: SecretMasker) {
    this.channel = vscode.window.createOutputChannel('1upHealth', { log: true });
  }

  trace(message: string): void { this.channel.trace(this.keep(message)); }
  debug(message: string): void { this.channel.debug(this.keep(message)); }
  info(message: string): void { this.channel.info(this.keep(message)); }
  warn(message: string): void { this.channel.warn(this.keep(message)); }
  error(message: string | Error): void {
    this.channel.error(this.keep(typeof message === 'string' ? message : message.stack ?? `${message.name}: ${message.message}`));
  }

  /** The last lines written, as they reached the channel (masked). */
  recent(): readonly string[] {
    return this.lines;
  }

  private keep(message: string): string {
    const line = this.masker.mask(message);
    this.lines.push(line);
    if (this.lines.length > 1000) this.lines.splice(0, this.lines.length - 1000);
    return line;
  }

  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}
