import { describe, expect, it } from 'vitest';
import { computeDetachedSignature, detachedTokenIsValid } from './jws';

// The known-answer vectors of cluster-bootstrap token/jws/jws_test.go.
const content = 'Hello from the other side. I must have called a thousand times.';
const secret = 'my voice is my passcode';
const id = 'joshua';

describe('detached JWS (after cluster-bootstrap token/jws/jws_test.go)', () => {
  it.each([
    ['content and secret', content, secret, 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8'],
    ['null content', '', secret, 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..7Ui1ALizW4jXphVUB7xUqC9vLYLL9RZeOFfVLoB7Tgk'],
    ['no secret', content, '', 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..UfkqvDGiIFxrMnFseDj9LYJOLNrvjW8aHhF71mvvAs8'],
  ])('TestComputeDetachedSignature: %s', (_name, c, s, want) => {
    expect(computeDetachedSignature(c, id, s)).toBe(want);
  });

  it('TestDetachedTokenIsValid', () => {
    const sig = 'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8';
    expect(detachedTokenIsValid(sig, content, id, secret)).toBe(true);
    expect(detachedTokenIsValid(`${sig}foo`, content, id, secret)).toBe(false);
    expect(detachedTokenIsValid(sig, `${content}!`, id, secret)).toBe(false);
    expect(detachedTokenIsValid(sig, content, id, 'another passcode')).toBe(false);
  });
});
