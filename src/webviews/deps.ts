import type { FhirVersion } from '../core/environments';
import type { SearchQuery } from '../core/fhir/searchQuery';
import type { Bundle, Resource } from '../core/fhir/types';
import type { HealthSystemSummary } from '../core/webviewProtocol/common';

/** An app user, as the users tree and the API name it. */
export interface AppUser {
  oneupUserId: string;
  appUserId: string;
  active?: boolean;
}

/** Whose `$everything` to page through: a patient id, or an app user whose Patient the API finds. */
export interface EverythingTarget {
  version: FhirVersion;
  /** act as this user (their token); without it the app reads on behalf of all its users */
  user?: AppUser;
  /** the Patient resource id; when absent the API client finds the user's own Patient */
  patientId?: string;
}

/** What the Connect page needs, freshly minted for one user. */
export interface ConnectInfo {
  /**
   * The Connect page for the frame, with a fresh token for the user:
   * `{apiUrl}/connect/marketplace?client_id=…&access_token=…` (or `{apiUrl}/connect`).
   */
  connectPageUrl: string;
  /** `{apiUrl}/connect/system/clinical/{systemId}?client_id=…&access_token=…` for one health system. */
  systemConnectUrl(systemId: string): Promise<string>;
  /** The origin of the environment's API (`https://api.1up.health`): the only origin framed or opened. */
  environmentOrigin: string;
  /** The local sandbox, whose login pages may be framed, so the whole flow stays in the panel. */
  isSandbox: boolean;
}

/**
 * What the webviews need from the API, as callbacks the composition root backs with the API
 * client of the active environment. Every call takes an AbortSignal (cancelled when the user
 * cancels or the panel closes) and throws the core's typed errors (ApiError, AuthError,
 * NetworkError, CancelledError); the panels show their message. The panels check every URL
 * they pass (http(s), on the environment's FHIR or API origin) before calling.
 */
export interface WebviewDeps {
  /** One page of a search (`GET {fhir base}/{version}/{type}?params`), as the user or app-wide. */
  search(version: FhirVersion, query: SearchQuery, signal: AbortSignal, user?: AppUser): Promise<Bundle>;
  /** GETs a Bundle's own `next`/`previous`/`first`/`last` link exactly as the server gave it. */
  fetchBundleLink(url: string, signal: AbortSignal, user?: AppUser): Promise<Bundle>;
  /** GET `{fhir base}/{version}/{type}/{id}`. */
  readResource(version: FhirVersion, type: string, id: string, signal: AbortSignal, user?: AppUser): Promise<Resource>;
  /** The first `$everything` page when `pageUrl` is undefined, else the page at that link. */
  everythingPage(target: EverythingTarget, pageUrl: string | undefined, signal: AbortSignal): Promise<Bundle>;
  /**
   * The server's totals of a patient's resources by type (the record's chips): the types it could
   * count; a type it could not is missing from the answer.
   */
  everythingCounts(target: EverythingTarget, patientId: string, types: readonly string[], signal: AbortSignal): Promise<Record<string, number>>;
  /** The app's users (for "which user?" prompts). */
  listUsers(signal: AbortSignal): Promise<AppUser[]>;
  /** Every supported health system (`connect/system/clinical`); `toHealthSystems` in core/render adapts the answer. */
  listHealthSystems(signal: AbortSignal): Promise<HealthSystemSummary[]>;
  /** Provider search (`connect/system/provider/search?q=`); `toHealthSystems` adapts the Bundle. */
  searchProviders(query: string, signal: AbortSignal): Promise<HealthSystemSummary[]>;
  /** Mints or refreshes the user's token and answers the Connect page addresses. */
  connectInfo(user: AppUser, signal: AbortSignal): Promise<ConnectInfo>;
  /** The user's resource counts by type, read again from the server (after a connect). */
  refreshUserData(user: AppUser, signal: AbortSignal): Promise<Record<string, number>>;
  /**
   * Opens an address of the environment in the browser, as the browser can reach it: VS Code in a
   * browser forwards a local sandbox's port (`asExternalUri`), and the sandbox is told to answer
   * that forwarded address. False when the user declined.
   */
  openInBrowser(url: string): Promise<boolean>;
  /** Opens the server's copy of a resource as a read-only JSON document. */
  openResourceJson(version: FhirVersion, type: string, id: string, user?: AppUser): Promise<void>;
}
