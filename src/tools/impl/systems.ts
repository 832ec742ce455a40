import { healthSystemsAnswer } from '../../core/tools/lists';
import type { ToolRun } from '../context';

/** How long a downloaded health-system list answers paging calls. */
const LIST_TTL_MS = 5 * 60_000;

export async function listHealthSystems(r: ToolRun): Promise<string> {
  const name = r.input.string('name', { max: 100 });
  const healthSystemsOnly = r.input.boolean('healthSystemsOnly', false);
  const offset = r.input.integer('offset', { min: 0, max: 1_000_000, default: 0 });
  const limit = r.input.integer('limit', { min: 1, max: 100, default: 25 });
  const key = JSON.stringify([r.environment, name ?? '', healthSystemsOnly]);
  const cached = r.state.healthSystems;
  // the first page is always fresh; later pages of the same list reuse it for a while
  let systems = offset > 0 && cached?.key === key && Date.now() - cached.at < LIST_TTL_MS ? cached.systems : undefined;
  if (!systems) {
    systems = await r.s.clients.get().connect.listHealthSystems({ name, healthSystemsOnly }, r.signal);
    r.state.healthSystems = { key, at: Date.now(), systems };
  }
  const filter = [name ? `name “${name}”` : '', healthSystemsOnly ? 'health systems only' : ''].filter(Boolean).join(', ') || undefined;
  return healthSystemsAnswer({ environment: r.environment.name, systems, filter, offset, limit, maxChars: r.maxChars });
}
