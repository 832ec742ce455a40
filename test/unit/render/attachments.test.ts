import * as assert from 'node:assert/strict';
import { attachmentFileName, attachmentKinds, attachmentSource, binaryContent, decodeBase64, decodeText, describeAttachment, findAttachments } from '../../../src/core/render/attachments';
import type { Json } from '../../../src/core/render/format';
import { hl7Example, productionLike } from './labelFixtures';

describe('attachments', () => {
  it('finds a report\'s presentedForm and a document\'s content, with where they sit', () => {
    const dstu2 = productionLike('dstu2');
    const report = dstu2.find((r) => r.resourceType === 'DiagnosticReport')!;
    assert.deepEqual(findAttachments(report as Json).map((f) => f.path), ['presentedForm[0]', 'presentedForm[1]', 'presentedForm[2]']);
    const doc = dstu2.find((r) => r.resourceType === 'DocumentReference')!;
    assert.deepEqual(findAttachments(doc as Json).map((f) => f.path), ['content[0].attachment', 'content[1].attachment']);
    assert.deepEqual(attachmentKinds(doc as Json).t, 'PDF, text');
    // a photo is an attachment too; a contained resource's are its own
    assert.deepEqual(findAttachments(hl7Example('r4', 'RelatedPerson-f002.json') as Json).map((f) => f.path), ['photo[0]']);
    assert.deepEqual(findAttachments({ resourceType: 'DiagnosticReport', contained: [{ resourceType: 'Media', content: { contentType: 'image/png', data: 'AAAA' } }] }), []);
  });

  it('describes each one by title, kind, type, size and where its bytes are', () => {
    const a = describeAttachment({ path: 'presentedForm[1]', attachment: { contentType: 'application/pdf', title: 'Report.pdf', data: Buffer.from('x'.repeat(3000)).toString('base64'), creation: '2019-01-20T20:02:00-06:00' } });
    assert.deepEqual(a, { title: 'Report.pdf', kind: 'PDF', contentType: 'application/pdf', details: 'application/pdf · 3 KB · created 2019-01-20 20:02', where: 'presentedForm[1]', available: true });
    const remote = describeAttachment({ path: 'content[0].attachment', attachment: { contentType: 'text/html', url: 'Binary/1' } });
    assert.equal(remote.title, 'HTML attachment');
    assert.match(remote.details, /stored on the server/);
    assert.equal(describeAttachment({ path: 'x', attachment: { contentType: 'text/plain' } }).available, false);
  });

  it('reads bytes only from inline data or a Binary under the FHIR base the resource came from', () => {
    const base = 'https://api.1up.health/fhir/dstu2';
    assert.deepEqual(attachmentSource({ data: 'QQ==' }, base), { kind: 'inline', base64: 'QQ==' });
    assert.deepEqual(attachmentSource({ url: 'Binary/TR-5927259' }, base), { kind: 'binary', id: 'TR-5927259' });
    assert.deepEqual(attachmentSource({ url: `${base}/Binary/1c2d3e4f5a6b` }, base), { kind: 'binary', id: '1c2d3e4f5a6b' });
    assert.deepEqual(attachmentSource({ url: `${base}/Binary/1c2d/_history/2` }, base), { kind: 'binary', id: '1c2d' });
    for (const url of [
      'https://api.1up.health.evil.example/fhir/dstu2/Binary/1',
      'https://api.1up.health/fhir/dstu2/../r4/Binary/1',
      'https://api.1up.health/fhir/dstu2/Binary/1?x=https://evil.example',
      'https://fhir-open.cerner.com/dstu2/ec2458f2/Binary/TR-1',
      'http://api.1up.health/fhir/dstu2/Binary/1',
      'Binary/../../token',
    ]) {
      assert.equal(attachmentSource({ url }, base).kind, 'external', url);
    }
    assert.equal(attachmentSource({ url: `${base}/Binary/1` }).kind, 'external', 'no base (a workspace file): nothing is a server Binary');
    assert.deepEqual(attachmentSource({ contentType: 'application/pdf' }, base), { kind: 'none' });
  });

  it('decodes base64 strictly, Binary content in DSTU2 and later shapes, and text in its charset', () => {
    assert.equal(Buffer.from(decodeBase64('SGVs\nbG8=')).toString(), 'Hello');
    assert.throws(() => decodeBase64('not base64!'), /not valid base64/);
    assert.throws(() => decodeBase64('QQ'), /not valid base64/);
    assert.deepEqual(binaryContent({ resourceType: 'Binary', contentType: 'application/pdf', content: 'QQ==' }), { base64: 'QQ==', contentType: 'application/pdf' });
    assert.deepEqual(binaryContent({ resourceType: 'Binary', contentType: 'text/html', data: 'QQ==' }), { base64: 'QQ==', contentType: 'text/html' });
    assert.equal(binaryContent({ resourceType: 'Binary' }), undefined);
    assert.equal(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'text/plain; charset=ISO-8859-1'), 'café');
    assert.equal(decodeText(new TextEncoder().encode('café'), 'text/html'), 'café');
    assert.equal(decodeText(new TextEncoder().encode('ok'), 'text/plain; charset=no-such-charset'), 'ok');
  });

  it('names saved and temporary files safely, with the extension the type implies', () => {
    assert.equal(attachmentFileName({ title: 'XR Chest 2 Views.pdf', contentType: 'application/pdf' }, 'f'), 'XR Chest 2 Views.pdf');
    assert.equal(attachmentFileName({ title: '../../etc/passwd', contentType: 'text/html' }, 'f'), '_.._etc_passwd.html', 'no separator left: one name in the chosen folder');
    assert.equal(attachmentFileName({ title: 'a\u0000b:c*?"<>|', contentType: 'image/jpeg' }, 'f'), 'a_b_c_.jpg');
    assert.equal(attachmentFileName({ contentType: 'application/octet-stream' }, 'DiagnosticReport-1-presentedForm-0'), 'DiagnosticReport-1-presentedForm-0.bin');
    assert.equal(attachmentFileName({ title: '...', contentType: 'text/plain' }, 'fallback'), 'fallback.txt');
  });
});
