import * as assert from 'node:assert/strict';
import { parseRetryAfter, retryAfterMs } from '../../../src/core/api';

describe('Retry-After: a delay, an HTTP date, or an epoch time', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');

  it('reads delta seconds and HTTP dates', () => {
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs('1.5', now), 1500);
    assert.equal(retryAfterMs(new Date(now + 20_000).toUTCString(), now), 20_000);
    assert.equal(retryAfterMs(new Date(now - 20_000).toUTCString(), now), 0, 'a date past is now');
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });

  it('reads a number too large to be a delay as an epoch time, in seconds or milliseconds, and waits until then', () => {
    assert.equal(retryAfterMs(String((now + 90_000) / 1000), now), 90_000, 'epoch seconds');
    assert.equal(retryAfterMs(String(now + 90_000), now), 90_000, 'epoch milliseconds');
    assert.equal(retryAfterMs(String((now - 5000) / 1000), now), 0, 'a time past is now');
    // 999,999,999 s is still a (31-year) delay: the transport's clamp handles it
    assert.equal(retryAfterMs('999999999', now), 999_999_999_000);
    assert.equal(parseRetryAfter(String((now + 30_000) / 1000), now), 30, 'the transport waits the 30 s it means, not its 60 s ceiling');
  });
});
