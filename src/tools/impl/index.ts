import { ToolNames } from '../../core/tools/catalog';
import type { ToolRun } from '../context';
import { curlForCall } from './curl';
import { exportStatus, startExport } from './exports';
import { patientSummary, read, search } from './fhir';
import { listHealthSystems } from './systems';
import { createUser, getAccessToken, listUsers } from './users';

const IMPLEMENTATIONS: Record<string, (r: ToolRun) => Promise<string>> = {
  [ToolNames.search]: search,
  [ToolNames.read]: read,
  [ToolNames.patientSummary]: patientSummary,
  [ToolNames.listUsers]: listUsers,
  [ToolNames.createUser]: createUser,
  [ToolNames.getAccessToken]: getAccessToken,
  [ToolNames.healthSystems]: listHealthSystems,
  [ToolNames.startExport]: startExport,
  [ToolNames.exportStatus]: exportStatus,
  [ToolNames.curl]: curlForCall,
};

/** Runs one tool (the guard has already let it through) and answers the text for the model. */
export function runTool(name: string, run: ToolRun): Promise<string> {
  const impl = IMPLEMENTATIONS[name];
  if (!impl) return Promise.reject(new Error(`No implementation for the tool ${name}.`));
  return impl(run);
}
