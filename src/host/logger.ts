import * as vscode from 'vscode';
import { Logger, SecretMasker } from '../core/log';

/**
 * The one "1upHealth" log channel. Every line goes through the masker, so a secret the
 * extension knows about (client secret, tokens, codes) never reaches the channel.
 */
export class ChannelLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(readonly masker: SecretMasker) {
    this.channel = vscode.window.createOutputChannel('1upHealth', { log: true });
  }

  trace(message: string): void { this.channel.trace(this.masker.mask(message)); }
  debug(message: string): void { this.channel.debug(this.masker.mask(message)); }
  info(message: string): void { this.channel.info(this.masker.mask(message)); }
  warn(message: string): void { this.channel.warn(this.masker.mask(message)); }
  error(message: string | Error): void {
    if (typeof message === 'string') this.channel.error(this.masker.mask(message));
    else this.channel.error(this.masker.mask(message.stack ?? `${message.name}: ${message.message}`));
  }

  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}
