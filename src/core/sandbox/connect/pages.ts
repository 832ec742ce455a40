// The HTML the connect flow serves: the health-system picker (meant for an iframe), each
// system's pretend login page, and the "connected" page. Pure functions of their data; every
// value is escaped; nothing is loaded from elsewhere.
import { escapeHtml as h } from '../http/escape';
import type { HealthSystem } from './systems';

export interface ConnectParams { clientId?: string; accessToken?: string; redirectUri?: string; state?: string }

/**
 * The way from a page to the server's root as a relative path (`''`, `'../'`, `'../../../'`): the pages
 * link to each other and to the logos relatively, so they also work behind a path prefix — VS Code in
 * a browser forwards the sandbox as `https://host/proxy/<port>/…` — where `/connect/…` would leave it.
 */
export function rootFrom(pagePath: string): string {
  // the browser resolves against the folder of the path: everything up to its last slash
  const depth = pagePath.split('/').length - 2;
  return '../'.repeat(Math.max(0, depth));
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#5c6670;--line:#d9dee3;--accent:#0b6bcb}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--bg:#1e1f22;--muted:#a3abb3;--line:#3a3d42;--accent:#4ea1f3}}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:1.25rem}
h1{font-size:1.3rem;margin:0 0 .25rem}p.sub{color:var(--muted);margin:0 0 1rem}
input[type=search],input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem .7rem;border:1px solid var(--line);border-radius:6px;background:transparent;color:inherit;font:inherit}
ul{list-style:none;padding:0;margin:1rem 0}li{border-bottom:1px solid var(--line)}
li a{display:flex;gap:.8rem;align-items:center;padding:.6rem .2rem;color:inherit;text-decoration:none}li a:hover{background:color-mix(in srgb,var(--accent) 8%,transparent)}
li img{width:36px;height:36px;border-radius:6px}.meta{color:var(--muted);font-size:.85rem}
.card{max-width:380px;margin:2rem auto;border:1px solid var(--line);border-radius:10px;padding:1.5rem}
label{display:block;margin:.8rem 0 .3rem;font-size:.9rem}.row{display:flex;gap:.6rem;margin-top:1.2rem}
button{font:inherit;padding:.55rem 1rem;border-radius:6px;border:1px solid var(--line);background:transparent;color:inherit;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}.note{color:var(--muted);font-size:.85rem;margin-top:1rem}
.error{color:#c62828}`;

function page(title: string, body: string, nonce?: string, script?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${h(title)}</title><style>${STYLE}</style></head><body>${body}`
    + (nonce && script ? `<script nonce="${h(nonce)}">${script}</script>` : '') + '</body></html>';
}

function query(p: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

function hidden(p: ConnectParams): string {
  return [['client_id', p.clientId], ['access_token', p.accessToken], ['redirect_uri', p.redirectUri], ['state', p.state]]
    .filter(([, v]) => v).map(([k, v]) => `<input type="hidden" name="${h(k)}" value="${h(v)}">`).join('');
}

// Filters the list as the user types; without scripts the form's GET does the same on the server.
const FILTER_SCRIPT = `const q=document.getElementById('q');const items=[...document.querySelectorAll('li[data-name]')];
q.addEventListener('input',()=>{const t=q.value.toLowerCase().trim();for(const li of items){li.hidden=!!t&&!li.dataset.name.includes(t);}});`;

export function marketplacePage(systems: HealthSystem[], search: string, p: ConnectParams, nonce: string, root = rootFrom('/connect/marketplace')): string {
  const items = systems.map((s) => {
    const where = s.locations[0]?.address.city;
    const href = `${root}connect/system/clinical/${s.id}${query({ client_id: p.clientId, access_token: p.accessToken, redirect_uri: p.redirectUri, state: p.state })}`;
    return `<li data-name="${h(`${s.name} ${where ?? ''} ${s.ehr}`.toLowerCase())}"><a href="${h(href)}">`
      + `<img src="${h(root)}connect/logos/${s.id}.svg" alt=""><span><strong>${h(s.name)}</strong><br>`
      + `<span class="meta">${h([s.kind === 'Payer' ? 'Health plan' : 'Health system', where, s.ehr].filter(Boolean).join(' · '))}</span></span></a></li>`;
  }).join('');
  const body = `<h1>Connect your health records</h1><p class="sub">Pick the health system or health plan that holds your records.</p>`
    + `<form method="get" action="${h(root)}connect/marketplace" role="search">${hidden(p)}`
    + `<input id="q" type="search" name="q" value="${h(search)}" placeholder="Search by name, city or EHR" aria-label="Search health systems" autocomplete="off"></form>`
    + (items ? `<ul>${items}</ul>` : `<p class="note">No health system matches “${h(search)}”.</p>`)
    + `<p class="note">1upHealth local sandbox: every system here is simulated.</p>`;
  return page('Connect health records', body, nonce, FILTER_SCRIPT);
}

export function loginPage(system: HealthSystem, p: ConnectParams, userLabel: string, root = rootFrom(`/connect/system/clinical/${system.id}`)): string {
  const body = `<div class="card"><img src="${h(root)}connect/logos/${system.id}.svg" alt="" width="48" height="48">`
    + `<h1>${h(system.name)}</h1><p class="sub">Patient portal sign-in (simulated)</p>`
    + `<form method="post" action="${h(root)}connect/system/clinical/${system.id}">${hidden(p)}`
    + `<label for="u">Username</label><input id="u" type="text" name="username" value="${h(userLabel)}" autocomplete="off">`
    + `<label for="pw">Password</label><input id="pw" type="password" name="password" value="sandbox" autocomplete="off">`
    + `<p class="note">The app is asking to read your records from ${h(system.name)} through 1upHealth.</p>`
    + `<div class="row"><button class="primary" type="submit" name="decision" value="allow">Authorize</button>`
    + `<button type="submit" name="decision" value="deny">Deny</button></div></form></div>`;
  return page(`Sign in to ${system.name}`, body);
}

export function connectedPage(system: HealthSystem | undefined, denied: boolean): string {
  const name = system?.name ?? 'the health system';
  const body = denied
    ? `<div class="card"><h1>Not connected</h1><p>You did not authorize ${h(name)}. You can close this window.</p></div>`
    : `<div class="card"><h1>Connected</h1><p>${h(name)} is connected. Its records are now part of your data. You can close this window.</p></div>`;
  return page(denied ? 'Not connected' : 'Connected', body);
}

export function problemPage(title: string, text: string): string {
  return page(title, `<div class="card"><h1>${h(title)}</h1><p class="error">${h(text)}</p></div>`);
}

/** A square logo with the system's initials, its colour taken from its id. */
export function logoSvg(system: HealthSystem): string {
  const words = system.name.replace(/\(.*?\)/g, '').split(/\s+/).filter((w) => /^[A-Za-z]/.test(w));
  const initials = (words.length > 1 ? words[0][0] + words[1][0] : (words[0] ?? '?').slice(0, 2)).toUpperCase();
  const hue = (system.id * 47) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="${h(system.name)}">`
    + `<rect width="64" height="64" rx="12" fill="hsl(${hue},55%,42%)"/>`
    + `<text x="32" y="41" text-anchor="middle" font-family="system-ui,sans-serif" font-size="24" font-weight="600" fill="#fff">${h(initials)}</text></svg>`;
}
