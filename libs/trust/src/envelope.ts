import { canonicalJsonBytes } from '@shipgate/model';
import { z } from 'zod';
import { preAuthEncoding } from './pae';
import type { SignerPort } from './ports';
import type { Statement } from './statement';

/** The DSSE payload type of an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** A DSSE envelope: base64 payload, its type, and signatures over PAE(payloadType, payload). */
export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { keyid: string; sig: string }[];
}

/** The envelope's JSON shape (DSSE allows standard or URL-safe base64; both are accepted). */
export const dsseEnvelopeSchema = z.object({
  payload: z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64'),
  payloadType: z.string(),
  signatures: z
    .array(z.object({ keyid: z.string().default(''), sig: z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64') }))
    .min(1)
    // Bounded work per envelope: a record carries one signature, a multi-party one a few.
    .max(16),
});

/** The bytes shipgate signs for a statement: its canonical JSON, UTF-8. */
export function statementPayload(statement: Statement<unknown>): Uint8Array {
  return canonicalJsonBytes(statement);
}

/** Signs a statement with every signer (usually one) into a DSSE envelope. */
export async function signStatement(statement: Statement<unknown>, signers: SignerPort[]): Promise<DsseEnvelope> {
  const payload = statementPayload(statement);
  const pae = preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
  const signatures = [];
  for (const signer of signers) {
    const sig = await signer.sign(pae);
    signatures.push({ keyid: signer.keyId, sig: Buffer.from(sig).toString('base64') });
  }
  return { payload: Buffer.from(payload).toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures };
}

/** The PAE bytes an envelope's signatures cover (what an outside tool verifies). */
export function envelopeSignedBytes(envelope: DsseEnvelope): Buffer {
  return preAuthEncoding(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
}
