import * as l10n from '@vscode/l10n';

/**
 * The language-model tools the extension contributes: their names (as in package.json's
 * `contributes.languageModelTools`) and what each may do, which decides how the PHI guard treats
 * it. A unit test keeps this table and package.json in step.
 */
export const ToolNames = {
  search: 'oneup_searchFhir',
  read: 'oneup_readResource',
  patientSummary: 'oneup_patientSummary',
  listUsers: 'oneup_listUsers',
  createUser: 'oneup_createUser',
  getAccessToken: 'oneup_getAccessToken',
  healthSystems: 'oneup_listHealthSystems',
  startExport: 'oneup_startBulkExport',
  exportStatus: 'oneup_bulkExportStatus',
  curl: 'oneup_curlForCall',
} as const;
export type ToolName = (typeof ToolNames)[keyof typeof ToolNames];

export interface ToolTraits {
  /** Its answer carries patient data: refused outside the Local Sandbox unless allowed, and then confirmed per call. */
  readonly patientData: boolean;
  /** It creates or starts something: every call is confirmed, whatever the environment. */
  readonly write: boolean;
  /** Refused anywhere but the Local Sandbox. */
  readonly sandboxOnly: boolean;
  /** What its answer sends to the language model, in the user's words and language (for the confirmation). */
  readonly sends: string;
  /** The progress text while it runs. */
  readonly running: string;
}

export const TOOL_TRAITS: Readonly<Record<ToolName, ToolTraits>> = {
  [ToolNames.search]: {
    patientData: true, write: false, sandboxOnly: false, running: 'Searching FHIR resources',
    get sends() {
      return l10n.t('one page of matching FHIR resources (ids, names, codes, values, dates; as trimmed JSON when asked) and the total count');
    },
  },
  [ToolNames.read]: {
    patientData: true, write: false, sandboxOnly: false, running: 'Reading a FHIR resource',
    get sends() {
      return l10n.t('the whole resource as trimmed JSON (narrative left out unless asked)');
    },
  },
  [ToolNames.patientSummary]: {
    patientData: true, write: false, sandboxOnly: false, running: 'Summarizing a patient record',
    get sends() {
      return l10n.t("the patient's name, gender, birth date, city, counts of resources per type, conditions, medications, allergies and the most recent dated items");
    },
  },
  [ToolNames.listUsers]: {
    patientData: true, write: false, sandboxOnly: false, running: 'Listing app users',
    get sends() {
      return l10n.t("the app's users (app_user_id, oneup_user_id, active, token state)");
    },
  },
  [ToolNames.createUser]: {
    patientData: false, write: true, sandboxOnly: true, running: 'Creating an app user',
    get sends() {
      return l10n.t("the new user's ids (never its authorization code or tokens)");
    },
  },
  [ToolNames.getAccessToken]: {
    patientData: false, write: false, sandboxOnly: true, running: 'Getting an access token',
    get sends() {
      return l10n.t("when the user's new token expires (never the token)");
    },
  },
  [ToolNames.healthSystems]: {
    patientData: false, write: false, sandboxOnly: false, running: 'Listing health systems',
    get sends() {
      return l10n.t('health system ids, names, FHIR versions and statuses');
    },
  },
  [ToolNames.startExport]: {
    patientData: false, write: true, sandboxOnly: false, running: 'Starting a bulk export',
    get sends() {
      return l10n.t('the export folder, its progress, file names and resource counts per type (the exported data stays on disk)');
    },
  },
  [ToolNames.exportStatus]: {
    patientData: false, write: false, sandboxOnly: false, running: 'Reading bulk export status',
    get sends() {
      return l10n.t('export folders, progress, file names and resource counts per type');
    },
  },
  [ToolNames.curl]: {
    patientData: true, write: false, sandboxOnly: false, running: 'Preparing a curl command',
    get sends() {
      return l10n.t('a curl command of a call already made (its URL may hold patient ids or search values; secrets stay $ONEUP_* variables)');
    },
  },
};

export function isToolName(name: string): name is ToolName {
  return Object.prototype.hasOwnProperty.call(TOOL_TRAITS, name);
}
