import './lib/boot';
import type { ResourceRequest } from '../../core/webviewProtocol/resource';
import { parseResourceUpdate } from '../../core/webviewProtocol/resource';
import { DetailPane } from './lib/detailPane';
import { StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';

// One resource on its own (read from the server, or a file holding a single resource).
const host = connectHost<ResourceRequest, Record<string, never>>();
const status = new StatusArea();
const detail = new DetailPane((m) => host.post(m), () => undefined, false);
detail.element.classList.add('full');
document.getElementById('app')?.append(status.element, detail.element);

onHostMessage(parseResourceUpdate, (u) => {
  switch (u.type) {
    case 'detail':
      status.error(undefined);
      detail.show(u.detail);
      break;
    case 'busy':
      status.busy(u.busy, u.message);
      break;
    case 'error':
      status.busy(false);
      status.error(u.message);
      break;
  }
});

host.post({ type: 'ready' });
