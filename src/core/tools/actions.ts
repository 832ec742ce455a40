import * as l10n from '@vscode/l10n';
import { ToolNames, type ToolName } from './catalog';

/**
 * What one call will do, in a few words and the user's language, for the progress message and the confirmation
 * ("search Observation (_content=glucose) as user demo-user-1"). Reads the input loosely and never
 * throws: a bad input is reported by the call itself.
 */
export function actionOf(tool: ToolName, input: unknown): string {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof i[k] === 'string' || typeof i[k] === 'number' ? String(i[k]).slice(0, 80) : '');
  const user = s('appUserId');
  const oneup = s('oneupUserId');
  // an action as the user or app it acts as (`app`: what it says when no user is named)
  const as = (action: string, app = action): string =>
    user ? l10n.t('{0} as user {1}', action, user) : oneup ? l10n.t('{0} as oneup_user_id {1}', action, oneup) : app;
  switch (tool) {
    case ToolNames.search: {
      if (s('page')) return l10n.t('fetch the next page of a search ({0})', s('page'));
      const params = [s('content') ? `_content=${s('content')}` : '', paramText(i.params)].filter(Boolean).join('&');
      const what = `${s('type') || l10n.t('FHIR resources')}${params ? ` (${params.slice(0, 120)})` : ''}`;
      return as(l10n.t('search {0}', what), l10n.t('search {0} as the app (all users)', what));
    }
    case ToolNames.read: return as(s('type') && s('id') ? l10n.t('read {0}', `${s('type')}/${s('id')}`) : l10n.t('read a FHIR resource'));
    case ToolNames.patientSummary: return as(s('patientId') ? l10n.t('summarize the record of {0}', `Patient/${s('patientId')}`) : l10n.t('summarize the record of the patient'));
    case ToolNames.listUsers: return l10n.t("list the app's users");
    case ToolNames.createUser: return i.getToken === true ? l10n.t('create the app user “{0}” and get its access token', s('appUserId')) : l10n.t('create the app user “{0}”', s('appUserId'));
    case ToolNames.getAccessToken: return user ? l10n.t('get an access token for user {0}', user) : oneup ? l10n.t('get an access token for oneup_user_id {0}', oneup) : l10n.t('get an access token');
    case ToolNames.healthSystems: return s('name') ? l10n.t('list health systems matching “{0}”', s('name')) : l10n.t('list health systems');
    case ToolNames.startExport: {
      const types = (Array.isArray(i.types) ? i.types.filter((t) => typeof t === 'string').join(',') : s('types')).slice(0, 120);
      const scope = i.scope === 'app' || (!user && !oneup && i.scope !== 'user') ? l10n.t("all users' data")
        : user ? l10n.t('the data of user {0}', user) : oneup ? l10n.t('the data of oneup_user_id {0}', oneup) : l10n.t('the data of the user');
      return types ? l10n.t('start a bulk export of {0} ({1}) into the workspace', scope, types) : l10n.t('start a bulk export of {0} into the workspace', scope);
    }
    case ToolNames.exportStatus: return l10n.t('read bulk export status');
    case ToolNames.curl: return s('call') ? l10n.t('show call #{0} as a curl command', s('call')) : l10n.t('show the last call as a curl command');
  }
}

function paramText(p: unknown): string {
  if (typeof p === 'string') return p;
  if (!p || typeof p !== 'object') return '';
  return Object.entries(p as Record<string, unknown>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join('&');
}
