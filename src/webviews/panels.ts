import type * as vscode from 'vscode';

type Panel = { panel: vscode.WebviewPanel; dispose(): void };

/** Keeps one panel per key (revealed again rather than opened twice); forgets closed ones. */
export class Panels implements vscode.Disposable {
  private readonly open = new Map<string, Panel>();

  get<P extends Panel>(key: string, create: () => P): { panel: P; created: boolean } {
    const existing = this.open.get(key) as P | undefined;
    if (existing) {
      existing.panel.reveal();
      return { panel: existing, created: false };
    }
    return { panel: this.adopt(key, create()), created: true };
  }

  /** Keeps a panel made elsewhere (one restored after a reload) under its key. */
  adopt<P extends Panel>(key: string, panel: P): P {
    this.open.set(key, panel);
    panel.panel.onDidDispose(() => { if (this.open.get(key) === panel) this.open.delete(key); });
    return panel;
  }

  find<P extends Panel>(key: string): P | undefined {
    return this.open.get(key) as P | undefined;
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
    this.open.clear();
  }
}
