/**
 * The webviews' command ids. They belong in constants.ts `Commands` (kept in step with
 * package.json by a test); until the lead moves them there they are declared here.
 */
export const WebviewCommands = {
  /** "Open in 1upHealth Viewer": a .json Bundle/resource or an .ndjson export file */
  openInViewer: 'oneup.openInViewer',
  /** one resource by version, type and id (`{version?, type?, id?, user?}`) */
  viewResource: 'oneup.viewResource',
  /** a patient's `$everything` as a record (`{user?, patientId?, version?}` or a users-tree item) */
  openPatientRecord: 'oneup.openPatientRecord',
  /** the Connect page for a user (`{user?, systemId?}` or a users-tree item) */
  openConnectPage: 'oneup.openConnectPage',
  /** search health systems and connect users to them (`{}`) */
  searchHealthSystems: 'oneup.searchHealthSystems',
} as const;
