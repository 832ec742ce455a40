import * as assert from 'node:assert/strict';
import { bundleView } from '../../../src/core/render/bundleView';
import { detailView } from '../../../src/core/render/detail';
import { parseBundleViewerRequest, parseBundleViewerUpdate } from '../../../src/core/webviewProtocol/bundleViewer';
import { parseConnectRequest, parseConnectUpdate } from '../../../src/core/webviewProtocol/connect';
import { parseHealthSystemSearchRequest } from '../../../src/core/webviewProtocol/healthSystemSearch';
import { parsePatientRecordRequest } from '../../../src/core/webviewProtocol/patientRecord';
import { synthea } from './fixtures';

describe('webview message protocol', () => {
  it('accepts the requests a webview may send', () => {
    for (const m of [{ type: 'ready' }, { type: 'page', rel: 'next' }, { type: 'openDetail', key: 3 }, { type: 'openReference', index: 0 }, { type: 'openJson', target: 'bundle' }, { type: 'back' }, { type: 'saveBundle' }, { type: 'copyNdjson' }, { type: 'closeDetail' }, { type: 'openPatientRecord' }]) {
      assert.deepEqual(parseBundleViewerRequest(m), m, JSON.stringify(m));
    }
    assert.ok(parsePatientRecordRequest({ type: 'loadMore' }));
    assert.ok(parseConnectRequest({ type: 'connectSystem', systemId: '4706' }));
    assert.ok(parseHealthSystemSearchRequest({ type: 'search', seq: 3, query: 'mass general' }));
  });

  it('refuses anything else: unknown types, missing, extra or mistyped fields, non-objects', () => {
    for (const m of [
      null, 'ready', [], 42, {}, { type: 'eval', code: 'x' }, { type: 'page', rel: 'sideways' }, { type: 'page' },
      { type: 'openDetail', key: -1 }, { type: 'openDetail', key: 1.5 }, { type: 'openDetail', key: '1' },
      { type: 'ready', url: 'https://evil.example' }, { type: 'openJson', target: 'file:///etc/passwd' },
      { type: '__proto__' }, { type: 'toString' }, { type: 'openReference', index: 0, reference: 'javascript:alert(1)' },
    ]) {
      assert.equal(parseBundleViewerRequest(m), undefined, JSON.stringify(m));
    }
    assert.equal(parseConnectRequest({ type: 'openExternal', url: 'https://evil.example' }), undefined);
    assert.equal(parseConnectRequest({ type: 'connectSystem', systemId: 'x'.repeat(201) }), undefined);
    assert.equal(parseHealthSystemSearchRequest({ type: 'search', seq: 1, query: 'q'.repeat(201) }), undefined);
  });

  it('accepts the host\'s real views and refuses malformed ones', () => {
    const view = bundleView(synthea('r4'), { viewId: 'v1', title: 'Wm' });
    assert.ok(parseBundleViewerUpdate(JSON.parse(JSON.stringify({ type: 'bundle', view }))));
    const { view: detail } = detailView(synthea('r4').entry![0].resource!);
    assert.ok(parseBundleViewerUpdate({ type: 'detail', detail }));
    assert.equal(parseBundleViewerUpdate({ type: 'bundle', view: { ...view, groups: 'x' } }), undefined);
    assert.equal(parseBundleViewerUpdate({ type: 'detail', detail: { ...detail, fieldsHtml: 5 } }), undefined);
    assert.equal(parseBundleViewerUpdate({ type: 'navigate', url: 'https://x' }), undefined);
    assert.ok(parseConnectUpdate({ type: 'counts', counts: { Patient: 1 }, added: 0 }));
    assert.equal(parseConnectUpdate({ type: 'counts', counts: { Patient: 'many' }, added: 0 }), undefined);
  });
});
