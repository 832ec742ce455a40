/** The part of the log's SecretMasker a tool answer goes through. */
export interface Masker {
  mask(text: string): string;
}

// A mark no answer contains: it hides FHIR's `code` from the masker's name rule for one pass.
const HIDE = '\u0000';

/**
 * Masks a tool answer exactly as the log is masked (every client secret, token and auth code the
 * client has seen, by value, and whatever is named like a secret), with one exception: FHIR's
 * `code` element (`"code": "8302-2"` in every Coding) and `code` search parameter are terminology
 * codes, not OAuth codes, and masking them would leave the model nothing to read. OAuth codes the
 * client received are still masked by value, and no tool answers a user-management body.
 */
export function maskForModel(text: string, masker: Masker): string {
  const hidden = text.replace(/"code"(\s*:)/g, `"${HIDE}code"$1`).replace(/([?&])code=/g, `$1${HIDE}code=`);
  return masker.mask(hidden).split(HIDE).join('');
}
