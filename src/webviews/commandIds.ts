import { Commands } from '../constants';

/** The webviews' command ids (declared with all others in constants.ts). */
export const WebviewCommands = {
  /** "Open in 1upHealth Viewer": a .json Bundle/resource or an .ndjson export file */
  openInViewer: Commands.openInViewer,
  /** one resource by version, type and id (`{version?, type?, id?, user?}`) */
  viewResource: Commands.viewResource,
  /** a patient's `$everything` as a record (`{user?, patientId?, version?}` or a users-tree item) */
  openPatientRecord: Commands.openPatientRecord,
  /** the Connect page for a user (`{user?, systemId?}` or a users-tree item) */
  openConnectPage: Commands.openConnectPage,
  /** search health systems and connect users to them (`{}`) */
  searchHealthSystems: Commands.searchHealthSystems,
} as const;
