import { labelOf, observationValue } from '../core/render/columns';
import { dateTime, humanName, type Json } from '../core/render/format';
import type { Resource } from '../core/fhir/types';

/** A tree label for a resource: Patient name + birth date, Observation code + value, else what it is about. */
export function resourceLabel(r: Resource): { label: string; description?: string; tooltip?: string } {
  const j = r as Json;
  try {
    if (r.resourceType === 'Patient') {
      const name = humanName(j.name).t || `Patient/${r.id}`;
      return { label: name, description: [r.birthDate, r.gender].filter(Boolean).join(' · ') || undefined };
    }
    const what = labelOf(j);
    const when = dateTime(j.effectiveDateTime ?? j.onsetDateTime ?? j.occurrenceDateTime ?? j.authoredOn ?? j.dateWritten ?? j.date ?? j.recordedDate ?? (j.period as Json | undefined)?.start ?? j.issued).t;
    if (r.resourceType === 'Observation') {
      const value = observationValue(j).t;
      return { label: what.t || `Observation/${r.id}`, description: [value, when].filter(Boolean).join(' · ') || undefined, tooltip: what.h };
    }
    return { label: what.t || `${r.resourceType}/${r.id}`, description: when || undefined, tooltip: what.h };
  } catch {
    return { label: `${r.resourceType}/${r.id}` };
  }
}
