/** File extensions of the image types shown as icons, by media type. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/svg+xml': 'svg', 'image/webp': 'webp',
};

/** Whether the bytes are the image their type says (a server's HTML error page is not a PNG). */
export function looksLike(ext: string, b: Buffer): boolean {
  const ascii = (from: number, to: number) => b.subarray(from, to).toString('latin1');
  switch (ext) {
    case 'png': return b.length > 8 && b.readUInt32BE(0) === 0x89504e47;
    case 'jpg': return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case 'gif': return ascii(0, 4) === 'GIF8';
    case 'webp': return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP';
    case 'svg': return /^\ufeff?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(b.subarray(0, 4096).toString('utf8'));
    default: return false;
  }
}
