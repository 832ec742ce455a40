// Bundled on its own (dist/lazy/api.js): the HTTP client (undici) is loaded on first use, not
// at activation. The export engine shares this bundle so undici is shipped once.
export * from '../core/api';
export { startBulkExport, resumeBulkExport } from '../core/bulkExport';
