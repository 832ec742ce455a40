// Bundled on its own (dist/lazy/render.js): the renderers load when a panel first needs them,
// never during activation.
export { bundleView, collectionOf, pageCount, pageOf, toNdjson } from '../core/render/bundleView';
export { describeResource, detailView } from '../core/render/detail';
export { parseFhirFile } from '../core/render/ndjson';
export { PatientRecord } from '../core/render/patientRecord';
export { indexEntries, resolveReference } from '../core/render/references';
export { guessFhirVersion } from '../core/render/version';
export { toHealthSystems, withShowableLogos } from '../core/render/healthSystems';
export { attachmentFileName, attachmentSource, binaryContent, decodeBase64, decodeText, describeAttachment, findAttachments } from '../core/render/attachments';
export { contentKind } from '../core/render/rules/words';
export { withPatientColumn } from '../core/render/patientColumn';
export { timelineNote } from '../core/render/recordTimeline';
