import { describe, expect, it } from 'vitest';
import { amznTraceId } from './listener-messages';

describe('X-Amzn-Trace-Id as the listener forwards it', () => {
  const id = '1-6a2f1c00-0123456789abcdef01234567';

  it('is a new Root when the client sent none', () => {
    expect(amznTraceId(undefined, id)).toBe(`Root=${id}`);
    expect(amznTraceId('', id)).toBe(`Root=${id}`);
  });

  it('gets a Self before the client’s Root, keeping custom fields', () => {
    expect(amznTraceId('Root=1-67891233-abcdef012345678912345678;CalledFrom=app', id)).toBe(
      `Self=${id};Root=1-67891233-abcdef012345678912345678;CalledFrom=app`,
    );
  });

  it('updates a Self the client sent, in place', () => {
    expect(amznTraceId('Self=1-00000000-000000000000000000000000;Root=1-67891233-abcdef012345678912345678', id)).toBe(
      `Self=${id};Root=1-67891233-abcdef012345678912345678`,
    );
  });

  it('adds a Root before fields that hold none', () => {
    expect(amznTraceId('CalledFrom=app', id)).toBe(`Root=${id};CalledFrom=app`);
  });
});
