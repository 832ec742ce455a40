import * as vscode from 'vscode';
import { SecretKeys } from '../constants';

export interface ProxyLogin {
  user: string;
  password: string;
}

/**
 * Logins for proxies that ask for Basic authentication (407), as VS Code asks for its own
 * requests: the user types them once, they are kept in SecretStorage per proxy, and asked again
 * only when the proxy refuses them. Concurrent requests share one prompt.
 */
export class ProxyLogins {
  private readonly asking = new Map<string, Promise<ProxyLogin | undefined>>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The login for `proxyUrl`: the kept one, or (when there is none or `refused`) the user's answer. */
  login(proxyUrl: string, realm: string, refused: boolean): Promise<ProxyLogin | undefined> {
    const proxy = new URL(proxyUrl).host;
    let p = this.asking.get(proxy);
    if (!p) {
      p = this.find(proxy, realm, refused).finally(() => this.asking.delete(proxy));
      this.asking.set(proxy, p);
    }
    return p;
  }

  private async find(proxy: string, realm: string, refused: boolean): Promise<ProxyLogin | undefined> {
    const key = SecretKeys.proxyLogin(proxy);
    const kept = await this.secrets.get(key);
    if (kept && !refused) {
      try {
        const login = JSON.parse(kept) as ProxyLogin;
        if (typeof login.user === 'string' && typeof login.password === 'string') return login;
      } catch {
        // unreadable: ask again
      }
    }
    const title = realm ? vscode.l10n.t('Proxy login for {0} ({1})', proxy, realm) : vscode.l10n.t('Proxy login for {0}', proxy);
    const user = await vscode.window.showInputBox({
      title,
      prompt: refused ? vscode.l10n.t('The proxy {0} did not accept the login. User name:', proxy) : vscode.l10n.t('The proxy {0} asks for a login to reach 1upHealth. User name:', proxy),
      value: kept ? (JSON.parse(kept) as ProxyLogin).user : '',
      ignoreFocusOut: true,
    });
    if (!user) return undefined;
    const password = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Password of {0}', user), password: true, ignoreFocusOut: true });
    if (password === undefined) return undefined;
    const login = { user, password };
    await this.secrets.store(key, JSON.stringify(login));
    return login;
  }
}
