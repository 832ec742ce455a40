import type { FhirVersion } from '../core/environments';
import type { SearchQuery } from '../core/fhir/searchQuery';
import type { Bundle } from '../core/fhir/types';

/** What commands open results in; backed by the webview panels. */
export interface Viewers {
  /** Shows a Bundle page in the bundle viewer (pages follow the Bundle's own links). */
  showBundle(bundle: Bundle, o: { title: string; version: FhirVersion; user?: { oneupUserId: string; appUserId?: string }; search?: SearchQuery }): Promise<void> | void;
  /** Opens the patient record ($everything, paged as the user scrolls). */
  showPatientRecord(o: { version: FhirVersion; user?: { oneupUserId: string; appUserId?: string }; patientId?: string }): Promise<void> | void;
  /** The Connect page of one user, optionally straight to one health system. */
  openConnectPage(o: { user: { oneupUserId: string; appUserId: string }; systemId?: string; systemName?: string }): Promise<void> | void;
  /** The provider search webview. */
  openProviderSearch(o: { query?: string }): Promise<void> | void;
}
