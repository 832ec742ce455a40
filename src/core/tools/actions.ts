import { ToolNames, type ToolName } from './catalog';

/**
 * What one call will do, in a few words, for the progress message and the confirmation
 * ("search Observation (_content=glucose) as user demo-user-1"). Reads the input loosely and never
 * throws: a bad input is reported by the call itself.
 */
export function actionOf(tool: ToolName, input: unknown): string {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof i[k] === 'string' || typeof i[k] === 'number' ? String(i[k]).slice(0, 80) : '');
  const who = s('appUserId') ? ` as user ${s('appUserId')}` : s('oneupUserId') ? ` as oneup_user_id ${s('oneupUserId')}` : '';
  switch (tool) {
    case ToolNames.search: {
      if (s('page')) return `fetch the next page of a search (${s('page')})`;
      const params = [s('content') ? `_content=${s('content')}` : '', paramText(i.params)].filter(Boolean).join('&');
      return `search ${s('type') || 'FHIR resources'}${params ? ` (${params.slice(0, 120)})` : ''}${who || ' as the app (all users)'}`;
    }
    case ToolNames.read: return `read ${s('type') && s('id') ? `${s('type')}/${s('id')}` : 'a FHIR resource'}${who}`;
    case ToolNames.patientSummary: return `summarize the record of ${s('patientId') ? `Patient/${s('patientId')}` : 'the patient'}${who}`;
    case ToolNames.listUsers: return "list the app's users";
    case ToolNames.createUser: return `create the app user “${s('appUserId')}”${i.getToken === true ? ' and get its access token' : ''}`;
    case ToolNames.getAccessToken: return `get an access token${who.replace(' as ', ' for ')}`;
    case ToolNames.healthSystems: return `list health systems${s('name') ? ` matching “${s('name')}”` : ''}`;
    case ToolNames.startExport: {
      const types = Array.isArray(i.types) ? i.types.filter((t) => typeof t === 'string').join(',') : s('types');
      const scope = i.scope === 'app' || (!who && i.scope !== 'user') ? "all users' data" : `the data of${who.replace(' as ', ' ')}`;
      return `start a bulk export of ${scope}${types ? ` (${types.slice(0, 120)})` : ''} into the workspace`;
    }
    case ToolNames.exportStatus: return 'read bulk export status';
    case ToolNames.curl: return `show ${s('call') ? `call #${s('call')}` : 'the last call'} as a curl command`;
  }
}

function paramText(p: unknown): string {
  if (typeof p === 'string') return p;
  if (!p || typeof p !== 'object') return '';
  return Object.entries(p as Record<string, unknown>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join('&');
}
