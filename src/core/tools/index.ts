/**
 * The language-model tools' vscode-free part: the catalog and PHI guard, input reading, and the
 * answers a model gets (trimmed, paged, counted, within a character budget, masked like the log).
 * `src/tools/` registers them with VS Code and does the calls.
 */
export { ToolNames, TOOL_TRAITS, isToolName, type ToolName, type ToolTraits } from './catalog';
export { ALLOW_SETTING, decide, type Confirmation, type GuardContext, type GuardDecision } from './guard';
export { actionOf } from './actions';
export { maskForModel, type Masker } from './mask';
export { errorForModel } from './errors';
export { answerChars, Answer, DEFAULT_ANSWER_CHARS } from './budget';
export { Input, FHIR_ID, APP_USER_ID } from './inputs';
export { trimResource, fitResource, TRIM_LEVELS, type TrimLimits } from './trim';
export { resourceLine } from './describe';
export { actingAs, readAnswer, searchAnswer } from './fhirAnswers';
export { PatientSummary } from './patientSummary';
export { healthSystemsAnswer, usersAnswer } from './lists';
export { exportDetail, exportLine, exportsAnswer, type ExportView } from './exportAnswers';
export { Confirmations, PageCursors, RecentToolCalls, type PageRecord, type RecordedRequest, type RecordedToolCall } from './state';
export { ExportJobs } from './jobs';
