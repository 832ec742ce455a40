import * as l10n from '@vscode/l10n';

// Codes that read as jargon, in words. Where a code carries a display, the display wins (see
// `worded`); these apply to the bare codes servers send (Synthea's `EMER`, DSTU2's `CRITL`).

/** Codes → their words, each read when it is shown (so in the language the core was configured with then). */
export type Words = Readonly<Record<string, () => string>>;

/** AllergyIntolerance.criticality: DSTU2 (CRITL, CRITH, CRITU) and STU3/R4 (low, high, unable-to-assess). */
export const CRITICALITY: Words = {
  CRITL: () => l10n.t('low'), CRITH: () => l10n.t('high'), CRITU: () => l10n.t('unable to assess'),
  low: () => l10n.t('low'), high: () => l10n.t('high'), 'unable-to-assess': () => l10n.t('unable to assess'),
};

/** Encounter.class: DSTU2's words and the v3 ActCode codes STU3/R4 use. */
export const ENCOUNTER_CLASS: Words = {
  AMB: () => l10n.t('ambulatory'), EMER: () => l10n.t('emergency'), FLD: () => l10n.t('field'), HH: () => l10n.t('home health'),
  IMP: () => l10n.t('inpatient'), ACUTE: () => l10n.t('inpatient acute'), NONAC: () => l10n.t('inpatient non-acute'),
  OBSENC: () => l10n.t('observation'), PRENC: () => l10n.t('pre-admission'), SS: () => l10n.t('short stay'), VR: () => l10n.t('virtual'),
  inpatient: () => l10n.t('inpatient'), outpatient: () => l10n.t('outpatient'), ambulatory: () => l10n.t('ambulatory'),
  emergency: () => l10n.t('emergency'), home: () => l10n.t('home'), field: () => l10n.t('field'), daytime: () => l10n.t('daytime'),
  virtual: () => l10n.t('virtual'), other: () => l10n.t('other'),
};

/** MedicationStatement.taken (STU3). */
export const TAKEN: Words = {
  y: () => l10n.t('taken'), n: () => l10n.t('not taken'), unk: () => l10n.t('taken: unknown'), na: () => l10n.t('taken: not applicable'),
};

/** FamilyMemberHistory / RelatedPerson relationships as v3 RoleCode codes (used when no display comes with them). */
export const ROLE: Words = {
  FTH: () => l10n.t('father'), MTH: () => l10n.t('mother'), PRN: () => l10n.t('parent'), BRO: () => l10n.t('brother'),
  SIS: () => l10n.t('sister'), SIB: () => l10n.t('sibling'), SON: () => l10n.t('son'), DAU: () => l10n.t('daughter'),
  CHILD: () => l10n.t('child'), GRFTH: () => l10n.t('grandfather'), GRMTH: () => l10n.t('grandmother'), GRPRN: () => l10n.t('grandparent'),
  UNCLE: () => l10n.t('uncle'), AUNT: () => l10n.t('aunt'), COUSN: () => l10n.t('cousin'), HUSB: () => l10n.t('husband'),
  WIFE: () => l10n.t('wife'), SPS: () => l10n.t('spouse'), DOMPART: () => l10n.t('domestic partner'), SIGOTHR: () => l10n.t('significant other'),
  FRND: () => l10n.t('friend'), NBOR: () => l10n.t('neighbor'), GUARD: () => l10n.t('guardian'), FAMMEMB: () => l10n.t('family member'),
  NMTH: () => l10n.t('natural mother'), NFTH: () => l10n.t('natural father'), HBRO: () => l10n.t('half-brother'), HSIS: () => l10n.t('half-sister'),
  STPFTH: () => l10n.t('stepfather'), STPMTH: () => l10n.t('stepmother'), MGRMTH: () => l10n.t('maternal grandmother'),
  MGRFTH: () => l10n.t('maternal grandfather'), PGRMTH: () => l10n.t('paternal grandmother'), PGRFTH: () => l10n.t('paternal grandfather'),
  // HL7 v2 table 0131 (contact role), as RelatedPerson examples carry it
  C: () => l10n.t('emergency contact'), E: () => l10n.t('employer'), F: () => l10n.t('federal agency'), I: () => l10n.t('insurance company'),
  N: () => l10n.t('next of kin'), S: () => l10n.t('state agency'), U: () => l10n.t('unknown'),
};

/**
 * Attachment content types a person recognises, as a kind the code goes by (`HTML`, `PDF`, `text`,
 * `image`, … or the content type itself): `contentKindWord` says it in the user's language.
 */
export function contentKind(contentType: string): string {
  const t = contentType.toLowerCase().split(';')[0].trim();
  if (t === 'text/html' || t === 'application/xhtml+xml') return 'HTML';
  if (t === 'application/pdf') return 'PDF';
  if (t === 'text/plain') return 'text';
  if (t === 'text/rtf' || t === 'application/rtf') return 'RTF';
  if (t === 'application/hl7-v3+xml' || t === 'application/cda+xml') return 'CDA';
  if (t.endsWith('/xml') || t.endsWith('+xml')) return 'XML';
  if (t === 'application/json' || t.endsWith('+json')) return 'JSON';
  if (t.startsWith('image/')) return 'image';
  if (t.startsWith('video/')) return 'video';
  if (t.startsWith('audio/')) return 'audio';
  return t || 'file';
}

/** A content kind (`contentKind`) as the user reads it: the words translated, acronyms and content types as they are. */
export function contentKindWord(kind: string): string {
  switch (kind) {
    case 'text': return l10n.t('text');
    case 'image': return l10n.t('image');
    case 'video': return l10n.t('video');
    case 'audio': return l10n.t('audio');
    case 'file': return l10n.t('file');
    default: return kind;
  }
}
