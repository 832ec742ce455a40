// Codes that read as jargon, in words. Where a code carries a display, the display wins (see
// `worded`); these apply to the bare codes servers send (Synthea's `EMER`, DSTU2's `CRITL`).

/** AllergyIntolerance.criticality: DSTU2 (CRITL, CRITH, CRITU) and STU3/R4 (low, high, unable-to-assess). */
export const CRITICALITY: Readonly<Record<string, string>> = {
  CRITL: 'low', CRITH: 'high', CRITU: 'unable to assess',
  low: 'low', high: 'high', 'unable-to-assess': 'unable to assess',
};

/** Encounter.class: DSTU2's words and the v3 ActCode codes STU3/R4 use. */
export const ENCOUNTER_CLASS: Readonly<Record<string, string>> = {
  AMB: 'ambulatory', EMER: 'emergency', FLD: 'field', HH: 'home health', IMP: 'inpatient', ACUTE: 'inpatient acute',
  NONAC: 'inpatient non-acute', OBSENC: 'observation', PRENC: 'pre-admission', SS: 'short stay', VR: 'virtual',
  inpatient: 'inpatient', outpatient: 'outpatient', ambulatory: 'ambulatory', emergency: 'emergency', home: 'home',
  field: 'field', daytime: 'daytime', virtual: 'virtual', other: 'other',
};

/** MedicationStatement.taken (STU3). */
export const TAKEN: Readonly<Record<string, string>> = { y: 'taken', n: 'not taken', unk: 'taken: unknown', na: 'taken: not applicable' };

/** FamilyMemberHistory / RelatedPerson relationships as v3 RoleCode codes (used when no display comes with them). */
export const ROLE: Readonly<Record<string, string>> = {
  FTH: 'father', MTH: 'mother', PRN: 'parent', BRO: 'brother', SIS: 'sister', SIB: 'sibling', SON: 'son', DAU: 'daughter',
  CHILD: 'child', GRFTH: 'grandfather', GRMTH: 'grandmother', GRPRN: 'grandparent', UNCLE: 'uncle', AUNT: 'aunt',
  COUSN: 'cousin', HUSB: 'husband', WIFE: 'wife', SPS: 'spouse', DOMPART: 'domestic partner', SIGOTHR: 'significant other',
  FRND: 'friend', NBOR: 'neighbor', GUARD: 'guardian', FAMMEMB: 'family member', NMTH: 'natural mother', NFTH: 'natural father',
  HBRO: 'half-brother', HSIS: 'half-sister', STPFTH: 'stepfather', STPMTH: 'stepmother', MGRMTH: 'maternal grandmother',
  MGRFTH: 'maternal grandfather', PGRMTH: 'paternal grandmother', PGRFTH: 'paternal grandfather',
  // HL7 v2 table 0131 (contact role), as RelatedPerson examples carry it
  C: 'emergency contact', E: 'employer', F: 'federal agency', I: 'insurance company', N: 'next of kin', S: 'state agency', U: 'unknown',
};

/** Attachment content types a person recognises. */
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
