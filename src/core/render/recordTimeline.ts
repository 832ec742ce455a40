import * as l10n from '@vscode/l10n';
import { TIMELINE_TYPES } from './patientRecord';

/** Types a record holds for reference (who, where, what): they have no date of their own. */
const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication', 'Substance', 'Device',
  'RelatedPerson', 'Person', 'Group', 'HealthcareService', 'Endpoint', 'Binary',
]);

/** Billing and coverage: records about care, not events of it. */
const FINANCIAL_TYPES: ReadonlySet<string> = new Set([
  'Claim', 'ClaimResponse', 'ExplanationOfBenefit', 'Coverage', 'CoverageEligibilityRequest', 'CoverageEligibilityResponse',
  'EligibilityRequest', 'EligibilityResponse', 'EnrollmentRequest', 'EnrollmentResponse', 'Account', 'Invoice',
  'PaymentNotice', 'PaymentReconciliation',
]);

/**
 * Why a type's resources are not on the patient record's timeline (the rule table decides which
 * types it shows); undefined when they are. Every type the record counts either is on the
 * timeline or its chip says this.
 */
export function timelineNote(type: string): string | undefined {
  if (TIMELINE_TYPES.includes(type)) return undefined;
  // the button's name as the record's toolbar shows it (the webview translates it with the same bundle)
  const button = l10n.t('Open $everything as JSON');
  if (type === 'Patient') return l10n.t('The patient is shown in the header, not on the timeline.');
  if (DIRECTORY_TYPES.has(type)) return l10n.t('{0} resources are what the record refers to (who, where, what) and have no date of their own, so they are not on the timeline; open them from a resource that refers to them, or with “{1}”.', type, button);
  if (FINANCIAL_TYPES.has(type)) return l10n.t('{0} resources are billing and coverage records, not clinical events, so the timeline leaves them out; see them with “{1}”.', type, button);
  return l10n.t('The timeline shows clinical events; {0} is not one of the types it places. See these resources with “{1}”.', type, button);
}
