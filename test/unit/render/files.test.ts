import * as assert from 'node:assert/strict';
import { collectionOf, pageCount, pageOf, toNdjson } from '../../../src/core/render/bundleView';
import { parseFhirFile } from '../../../src/core/render/ndjson';
import { guessFhirVersion } from '../../../src/core/render/version';
import { bigBundle, resourcesOf, synthea } from './fixtures';

describe('files in the viewer', () => {
  it('opens a JSON Bundle, a single resource, and a BOM-prefixed file', () => {
    const bundle = synthea('r4');
    assert.equal(parseFhirFile(JSON.stringify(bundle), false).bundle?.entry?.length, bundle.entry!.length);
    assert.equal(parseFhirFile('\uFEFF{"resourceType":"Patient","id":"x"}', false).resource?.id, 'x');
    assert.throws(() => parseFhirFile('{"hello":1}', false), /no FHIR resource/);
    assert.throws(() => parseFhirFile('{nope', false), SyntaxError);
  });

  it('turns NDJSON into a collection, counting lines that are not resources', () => {
    const resources = resourcesOf(synthea('stu3')).slice(0, 5);
    const text = [JSON.stringify(resources[0]), '', 'not json', ...resources.slice(1).map((r) => JSON.stringify(r)), '[1,2]', ''].join('\n');
    const parsed = parseFhirFile(text, true);
    assert.equal(parsed.bundle?.type, 'collection');
    assert.deepEqual(parsed.bundle?.entry?.map((e) => e.resource), resources);
    assert.equal(parsed.badLines, 2);
    assert.equal(parsed.firstBadLine, 3);
    assert.throws(() => parseFhirFile('\n\n', true), /empty/);
    assert.throws(() => parseFhirFile('x\ny', true), /line 1/);
  });

  it('copies a page as NDJSON that reads back the same', () => {
    const bundle = synthea('dstu2');
    const back = parseFhirFile(toNdjson(bundle), true).bundle;
    assert.deepEqual(back?.entry?.map((e) => e.resource), resourcesOf(bundle));
  });

  it('pages a large file locally', () => {
    const big = bigBundle(12_001);
    assert.equal(pageCount(big, 5_000), 3);
    assert.equal(pageOf(big, 0, 5_000).entry?.length, 5_000);
    assert.equal(pageOf(big, 2, 5_000).entry?.length, 2_001);
    assert.equal(pageOf(big, 9, 5_000).entry?.[0], big.entry![10_000], 'past the end is the last page');
    const small = collectionOf(resourcesOf(synthea('r4')).slice(0, 3));
    assert.equal(pageOf(small, 0, 5_000), small);
    assert.equal(pageCount(collectionOf([]), 5_000), 1);
  });

  it('tells the FHIR version of a file from its shapes', () => {
    assert.equal(guessFhirVersion(resourcesOf(synthea('dstu2'))), 'dstu2');
    assert.equal(guessFhirVersion(resourcesOf(synthea('stu3'))), 'stu3');
    assert.equal(guessFhirVersion(resourcesOf(synthea('r4'))), 'r4');
    assert.equal(guessFhirVersion([{ resourceType: 'Basic' }]), undefined);
  });
});
