/** Every id the extension shares with package.json; a unit test keeps the two in step. */
export const EXTENSION_ID = 'oneup-vscode.oneup-health';

export const Commands = {
  setCredentials: 'oneup.setCredentials',
  signOut: 'oneup.signOut',
  selectEnvironment: 'oneup.selectEnvironment',
  refresh: 'oneup.refresh',
  showLog: 'oneup.showLog',
  startSandbox: 'oneup.startSandbox',
  stopSandbox: 'oneup.stopSandbox',
  listUsers: 'oneup.listUsers',
  filterUsers: 'oneup.filterUsers',
  clearUserFilter: 'oneup.clearUserFilter',
  createUser: 'oneup.createUser',
  updateUser: 'oneup.updateUser',
  activateUser: 'oneup.activateUser',
  deactivateUser: 'oneup.deactivateUser',
  copyOneupUserId: 'oneup.copyOneupUserId',
  copyAppUserId: 'oneup.copyAppUserId',
  getAuthCode: 'oneup.getAuthCode',
  getAccessToken: 'oneup.getAccessToken',
  refreshToken: 'oneup.refreshToken',
  copyAccessToken: 'oneup.copyAccessToken',
  searchResources: 'oneup.searchResources',
  /** "Search This Type…" on a type node: the one-step search, filled in with the type */
  searchThisType: 'oneup.searchThisType',
  readResource: 'oneup.readResource',
  createResource: 'oneup.createResource',
  everything: 'oneup.everything',
  deleteEverything: 'oneup.deleteEverything',
  grantPermission: 'oneup.grantPermission',
  revokePermission: 'oneup.revokePermission',
  listHealthSystems: 'oneup.listHealthSystems',
  filterHealthSystems: 'oneup.filterHealthSystems',
  connectUserToSystem: 'oneup.connectUserToSystem',
  copyLastCallAsCurl: 'oneup.copyLastCallAsCurl',
  copyCallAsCurl: 'oneup.copyCallAsCurl',
  copyCurlEnvironment: 'oneup.copyCurlEnvironment',
  openInViewer: 'oneup.openInViewer',
  viewResource: 'oneup.viewResource',
  openPatientRecord: 'oneup.openPatientRecord',
  openConnectPage: 'oneup.openConnectPage',
  searchHealthSystems: 'oneup.searchHealthSystems',
  bulkExport: 'oneup.bulkExport',
  resumeBulkExport: 'oneup.resumeBulkExport',
  openExportSummary: 'oneup.openExportSummary',
  revealExport: 'oneup.revealExport',
  deleteExport: 'oneup.deleteExport',
  copyDuckDbQuery: 'oneup.copyDuckDbQuery',
  openExportPatientRecord: 'oneup.openExportPatientRecord',
  ndjsonGoToLine: 'oneup.ndjson.goToLine',
  ndjsonFilter: 'oneup.ndjson.filter',
  ndjsonAddColumn: 'oneup.ndjson.addColumn',
  /** internal: Retry / Load more on tree nodes (hidden from the palette) */
  treeRetry: 'oneup.tree.retry',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'oneup',
  users: 'oneup.users',
  healthSystems: 'oneup.healthSystems',
  resources: 'oneup.resources',
  exports: 'oneup.exports',
} as const;

/**
 * The webview panels' view types: each has a serializer that brings it back after a reload, and an
 * `onWebviewPanel:<viewType>` activation event in package.json (not implicit for panels).
 */
export const ViewTypes = {
  bundleViewer: 'oneup.bundleViewer',
  resource: 'oneup.resource',
  /** a patient's record, live ($everything) or built from an export's files */
  patientRecord: 'oneup.patientRecord',
  connect: 'oneup.connect',
  healthSystemSearch: 'oneup.healthSystemSearch',
  ndjsonViewer: 'oneup.ndjsonViewer',
  exportSummary: 'oneup.exportSummary',
  attachment: 'oneup.attachment',
} as const;
export type ViewType = (typeof ViewTypes)[keyof typeof ViewTypes];

export const ContextKeys = {
  hasCredentials: 'oneup.hasCredentials',
  sandboxRunning: 'oneup.sandboxRunning',
  usersFiltered: 'oneup.usersFiltered',
  activeEditorIsFhir: 'oneup.activeEditorIsFhir',
  fhirJsonFiles: 'oneup.fhirJsonFiles',
  /** The App Users list: loading / empty / loaded / failed / none (see tree/usersTree.ts UsersState). */
  usersState: 'oneup.usersState',
  /** Some app user has an access token in the active environment (the walkthrough's token step). */
  hasToken: 'oneup.hasToken',
} as const;

/** The getting-started walkthrough and its steps (package.json contributes.walkthroughs). */
export const Walkthrough = {
  id: 'oneup.gettingStarted',
  steps: { connect: 'connect', createUser: 'createUser', token: 'token', browse: 'browse', connectSystem: 'connectSystem', bulkExport: 'bulkExport', chatTools: 'chatTools' },
} as const;

export const Settings = {
  section: 'oneup',
  environments: 'oneup.environments',
  activeEnvironment: 'oneup.activeEnvironment',
  requestTimeoutSeconds: 'oneup.requestTimeoutSeconds',
  maxTries: 'oneup.maxTries',
  logQueryValues: 'oneup.debug.logQueryValues',
  sandboxPort: 'oneup.sandbox.port',
  sandboxPatients: 'oneup.sandbox.patients',
  sandboxAutoStart: 'oneup.sandbox.autoStart',
  exportParallelDownloads: 'oneup.bulkExport.parallelDownloads',
  maxResponseSizeMB: 'oneup.maxResponseSizeMB',
  toolsAllowRealPatientData: 'oneup.tools.allowRealPatientData',
} as const;

/** SecretStorage keys: one entry per environment (and per app user for tokens). */
export const SecretKeys = {
  credentials: (environment: string) => `oneup.credentials/${environment}`,
  tokens: (environment: string, user: string) => `oneup.tokens/${environment}/${user}`,
  /** A proxy's Basic login, by proxy host:port. */
  proxyLogin: (proxy: string) => `oneup.proxyLogin/${proxy}`,
} as const;
