import * as assert from 'node:assert/strict';
import { address, choice, code, dateTime, humanName, identifiers, period, quantity, timeOf } from '../../../src/core/render/format';

describe('FHIR datatype formatting', () => {
  it('codes in every shape: string, Coding, CodeableConcept, lists', () => {
    assert.deepEqual(code('final'), { t: 'final' });
    assert.deepEqual(code({ system: 'http://loinc.org', code: '8302-2', display: 'Body Height' }), { t: 'Body Height', h: 'http://loinc.org | 8302-2' });
    assert.deepEqual(code({ coding: [{ system: 's', code: 'c' }] }), { t: 'c', h: 's | c' });
    assert.deepEqual(code({ text: 'Text wins', coding: [{ system: 's', code: 'c', display: 'D' }] }), { t: 'Text wins', h: 's | c' });
    assert.deepEqual(code([{ text: 'a' }, { text: 'b' }]), { t: 'a, b' });
    assert.deepEqual(code(null), { t: '' });
  });

  it('dates keep their precision; periods collapse a shared day', () => {
    assert.deepEqual(dateTime('2010-09-18T03:01:46-04:00'), { t: '2010-09-18 03:01', h: '2010-09-18T03:01:46-04:00' });
    assert.deepEqual(dateTime('2010-09'), { t: '2010-09' });
    assert.equal(period({ start: '2010-09-18T03:01:46-04:00', end: '2010-09-18T04:01:46-04:00' }).t, '2010-09-18 03:01 – 04:01');
    assert.equal(period({ start: '2010-09-18', end: '2011-01-02' }).t, '2010-09-18 – 2011-01-02');
    assert.equal(period({ start: '2010-09-18' }).t, 'since 2010-09-18', 'an open period says so in words');
    assert.equal(period({ end: '2010-09-18' }).t, 'until 2010-09-18');
    assert.equal(timeOf('2013'), Date.parse('2013-01-01'));
    assert.equal(timeOf('soon'), undefined);
  });

  it('quantities, money and value[x] choices', () => {
    assert.deepEqual(quantity({ value: 57.9, unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' }), { t: '57.9 cm', h: 'http://unitsofmeasure.org | cm' });
    assert.equal(quantity({ value: 140.52, currency: 'USD' }).t, '140.52 USD');
    assert.equal(quantity({ value: 5, comparator: '<', unit: 'mg' }).t, '<5 mg');
    assert.equal(choice({ valueBoolean: false }, 'value').t, 'false');
    assert.equal(choice({ valueRange: { low: { value: 1 }, high: { value: 2, unit: 'h' } } }, 'value').t, '1 – 2 h');
    assert.equal(choice({ valueset: 'x' }, 'value').t, '', 'only value[X] with a type suffix');
  });

  it('names (DSTU2 family lists too), addresses and identifiers', () => {
    assert.equal(humanName([{ use: 'old', family: 'Old' }, { use: 'official', family: ['Bergstrom'], given: ['Wm'], prefix: ['Mr.'] }]).t, 'Mr. Wm Bergstrom');
    assert.equal(humanName({ family: 'Jast', given: ['Barney'] }).t, 'Barney Jast');
    assert.equal(address([{ line: ['725 NORTH STREET'], city: 'PITTSFIELD', state: 'MA', postalCode: '01201', country: 'US' }]).t, '725 NORTH STREET, PITTSFIELD, MA 01201, US');
    const ids = identifiers([{ type: { text: 'MRN' }, system: 'urn:x', value: '1' }, { value: '2' }, { value: '3' }, { value: '4' }], 3);
    assert.equal(ids.t, 'MRN: 1, 2, 3 (+1)');
    assert.equal(ids.h, 'urn:x');
  });
});
