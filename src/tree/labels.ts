import type { Resource } from '../core/fhir/types';
import { describe, titleOf } from '../core/render/rules';

/**
 * A tree label for a resource, by the same rule table as the bundle viewer and the patient
 * record: what it is about as the label; its key facts and its date as the description; codes
 * on hover. Never the narrative.
 */
export function resourceLabel(r: Resource): { label: string; description?: string; tooltip?: string } {
  const d = describe(r);
  const description = [d.facts.t, d.date.cell.t].filter(Boolean).join(' · ');
  return { label: titleOf(r), description: description || undefined, tooltip: d.label.h };
}
