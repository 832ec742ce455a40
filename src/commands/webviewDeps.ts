import * as vscode from 'vscode';
import { SANDBOX_ENVIRONMENT_NAME } from '../core/environments';
import { isCancellation } from '../core/errors';
import { CLINICAL_TYPES } from '../core/fhir/resourceTypes';
import { mapLimit } from '../core/util/async';
import { fhirAs, patientIdOf, tokensOf } from '../host/acting';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Render from '../lazy/render';
import type { WebviewDeps } from '../webviews';
import { openResourceDocument } from './resourceDocuments';

/** Types a patient search (`?patient=`) counts on any FHIR server: the record's clinical ones. */
const PATIENT_SEARCH_TYPES: ReadonlySet<string> = new Set([
  'Encounter', 'Condition', 'Observation', 'MedicationOrder', 'MedicationRequest', 'MedicationStatement', 'Immunization',
  'Procedure', 'DiagnosticReport', 'AllergyIntolerance', 'Claim', 'ExplanationOfBenefit', 'CarePlan', 'DocumentReference',
]);

/** Backs the webviews' callbacks with the API client of the active environment. */
export function webviewDeps(s: Services): WebviewDeps {
  const render = () => loadLazy<typeof Render>('render');
  return {
    search: (version, query, signal, user) => fhirAs(s, version, user).search(query.type, query.params, signal),
    fetchBundleLink: (url, signal, user) => fhirAs(s, s.clients.environment().fhirVersion, user).fetchPage(url, signal),
    readResource: (version, type, id, signal, user) => fhirAs(s, version, user).read(type, id, signal),
    async everythingPage(target, pageUrl, signal) {
      const fhir = fhirAs(s, target.version, target.user);
      if (pageUrl) return fhir.fetchPage(pageUrl, signal);
      const patientId = target.patientId ?? await patientIdOf(s, target.version, target.user!, signal);
      return fhir.everything(patientId, undefined, signal);
    },
    async everythingCounts(target, patientId, types, signal) {
      const fhir = fhirAs(s, target.version, target.user);
      const counts: Record<string, number> = {};
      await mapLimit(types, 4, async (type) => {
        try {
          // R4's $everything takes _type: the operation's own total per type. Older versions
          // count by a patient search, only where every server knows that parameter
          let total: number | undefined;
          if (target.version === 'r4') total = (await fhir.everything(patientId, { _type: type, _count: 1 }, signal)).total;
          else if (type === 'Patient') total = 1;
          else if (PATIENT_SEARCH_TYPES.has(type)) total = (await fhir.search(type, { patient: patientId, _count: 1 }, signal)).total;
          if (typeof total === 'number') counts[type] = total;
        } catch (e) {
          if (isCancellation(e)) throw e;
          s.logger.warn(`[record] the server did not count ${type}: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
      return counts;
    },
    listUsers: (signal) => s.clients.get().users.listUsers({}, signal),
    async listHealthSystems(signal) {
      return render().toHealthSystems(await s.clients.get().connect.listHealthSystems({}, signal));
    },
    async searchProviders(query, signal) {
      const client = s.clients.get();
      const { bundle } = await client.connect.searchProviders(query, s.clients.api.asApp(), signal);
      return render().toHealthSystems(bundle);
    },
    async connectInfo(user, signal) {
      const client = s.clients.get();
      const env = s.clients.environment();
      const accessToken = await tokensOf(s, user).accessToken(signal);
      const { clientId } = await client.transport.appCredentials();
      return {
        connectPageUrl: client.connect.connectPageUrl({ clientId, accessToken, marketplace: true }),
        // the Connect page remembers a system once a connect brought data, not here
        systemConnectUrl: (systemId) => client.connect.systemConnectUrl(systemId, accessToken, { clientId }),
        environmentOrigin: new URL(env.apiUrl).origin,
        isSandbox: env.name === SANDBOX_ENVIRONMENT_NAME,
      };
    },
    async refreshUserData(user, signal) {
      const version = s.clients.environment().fhirVersion;
      const fhir = fhirAs(s, version, user);
      const counts: Record<string, number> = {};
      await mapLimit(CLINICAL_TYPES[version], 4, async (type) => {
        const total = (await fhir.search(type, { _count: 1 }, signal)).total ?? 0;
        if (total) counts[type] = total;
      });
      s.refresh.fire(undefined);
      return counts;
    },
    async openInBrowser(url) {
      const local = vscode.Uri.parse(url, true);
      const external = await vscode.env.asExternalUri(local);
      // a forwarded port reaches the sandbox with the forwarding host's name: let it answer exactly that one
      if (s.clients.environment().name === SANDBOX_ENVIRONMENT_NAME && external.authority.toLowerCase() !== local.authority.toLowerCase()) {
        s.sandbox.allowForwardedHost(external.authority);
        s.logger.info(`[sandbox] answering ${external.authority} too: the browser reaches the sandbox through VS Code's port forwarding`);
      }
      return vscode.env.openExternal(external);
    },
    async openResourceJson(version, type, id, user) {
      // a resource found in a user's data is read as that user (the app-wide token may not see it)
      await openResourceDocument({ environment: s.clients.environment().name, version, type, id, oneupUserId: user?.oneupUserId });
    },
  };
}

