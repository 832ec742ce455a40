/** The URL when it parses and is http(s) without credentials; otherwise undefined. */
export function httpUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (u.username || u.password) return undefined;
    return u;
  } catch {
    return undefined;
  }
}

/** The origin (`https://host[:port]`) of an http(s) URL, or undefined. */
export function originOf(value: string | undefined): string | undefined {
  return httpUrl(value)?.origin;
}

/** Whether `url` is an http(s) URL on exactly `origin` (scheme, host and port). */
export function isOnOrigin(url: string | undefined, origin: string | undefined): boolean {
  const o = originOf(origin);
  return !!o && httpUrl(url)?.origin === o;
}

/** Whether a logo may be shown: a data: image, or an image on the environment's origin. */
export function isShowableImage(url: string | undefined, environmentOrigin: string | undefined): boolean {
  if (!url) return false;
  if (/^data:image\/(png|gif|jpe?g|webp|svg\+xml);/i.test(url)) return true;
  return isOnOrigin(url, environmentOrigin);
}
