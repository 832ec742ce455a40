import * as assert from 'node:assert/strict';
import { mapLimit } from '../../src/core/util/async';
import { escapeMarkdown } from '../../src/core/util/markdown';
import { isFhirJsonText } from '../../src/core/fhir/jsonInput';

describe('mapLimit', () => {
  it('answers in the order of the items, never running more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const work = mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return n * 10;
    });
    // release the waiting calls last-started first, so answers finish out of order
    while (gates.length || running) {
      await new Promise((r) => setImmediate(r));
      gates.pop()?.();
    }
    assert.deepEqual(await work, [10, 20, 30, 40, 50, 60, 70]);
    assert.equal(most, 3);
  });

  it('answers an empty list for no items, and rejects with the first failure', async () => {
    assert.deepEqual(await mapLimit([], 4, async () => 1), []);
    await assert.rejects(mapLimit([1, 2], 4, async (n) => { if (n === 2) throw new Error('no 2'); return n; }), /no 2/);
  });
});

describe('escapeMarkdown', () => {
  it('shows a name as typed: no emphasis, link, code, HTML or theme icon', () => {
    const name = '*Dr_X* [click](https://evil.example) `code` <img src=x> $(zap) ~~gone~~ &lt;';
    const escaped = escapeMarkdown(name);
    assert.equal(escaped, '\\*Dr\\_X\\* \\[click\\]\\(https\\:\\/\\/evil\\.example\\) \\`code\\` \\<img src\\=x\\> \\$\\(zap\\) \\~\\~gone\\~\\~ \\&lt\\;');
    // removing the escapes gives the text back
    assert.equal(escaped.replace(/\\(.)/g, '$1'), name);
  });
});

describe('isFhirJsonText (decides where our JSON menu entries show)', () => {
  it('is true only for an object with a top-level string resourceType', () => {
    assert.equal(isFhirJsonText('{"resourceType":"Patient","id":"1"}'), true);
    assert.equal(isFhirJsonText('  \n{ "id": "b", "resourceType": "Bundle" }'), true);
    assert.equal(isFhirJsonText('{"name":"x","nested":{"resourceType":"Patient"}}'), false);
    assert.equal(isFhirJsonText('[{"resourceType":"Patient"}]'), false);
    assert.equal(isFhirJsonText('{"resourceType":7}'), false);
    assert.equal(isFhirJsonText('{"resourceType":"Patient",'), false);
    assert.equal(isFhirJsonText(''), false);
  });
});
