/**
 * DSSE's pre-authentication encoding: what a DSSE signature actually covers.
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * where LEN is the byte length in ASCII decimal. Binding the payload type into the signed bytes is
 * what stops a signature over one kind of document being replayed as another.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} `, 'ascii');
  const mid = Buffer.from(` ${payload.length} `, 'ascii');
  return Buffer.concat([head, type, mid, payload]);
}
