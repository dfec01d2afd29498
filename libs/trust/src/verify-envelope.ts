import { err, ok, type Result } from '@shipgate/model';
import { dsseEnvelopeSchema, IN_TOTO_PAYLOAD_TYPE } from './envelope';
import { preAuthEncoding } from './pae';
import type { Binding } from './predicates/binding';
import { bindingOf, predicateSchemas } from './predicates/predicate-registry';
import type { SignatureFailure, TargetKind, VerifiedIdentity, VerifierPort } from './ports';
import { bareSha256, statementSchema, type Statement } from './statement';

/** What the caller expects the envelope to say; everything here is checked, not trusted. */
export interface EnvelopeExpectation {
  /** The release's image digest (`sha256:<hex>`): the statement's subject must carry it. */
  subjectDigest: string;
  /** The predicate type the caller is looking for (an approval where an approval is due). */
  predicateType: string;
  /** When given, the predicate must be bound to exactly this service, release and environment. */
  binding?: Binding;
  targetKind: TargetKind;
  now: Date;
}

/** A verified envelope: the statement it carries and every identity that signed it. */
export interface VerifiedStatement<P = Record<string, unknown>> {
  statement: Statement<P>;
  signers: VerifiedIdentity[];
}

/** Why an envelope was refused. */
export interface EnvelopeFailure {
  reason:
    | 'malformed-envelope'
    | 'wrong-payload-type'
    | SignatureFailure['reason']
    | 'malformed-statement'
    | 'subject-digest-mismatch'
    | 'predicate-type-mismatch'
    | 'invalid-predicate'
    | 'binding-mismatch';
  /** Expected versus found. */
  message: string;
  /** Per signature, why it did not verify (for signature reasons). */
  signatures?: SignatureFailure[];
}

// When no signature verifies, report the most telling reason: a signature that is wrong says more
// than a key nobody knows.
const failureRank: SignatureFailure['reason'][] = [
  'bad-signature',
  'key-not-allowed-for-target',
  'signer-not-allowed',
  'unknown-key',
];

/**
 * Verifies a DSSE envelope holding an in-toto Statement: payload type, at least one signature the
 * verifier accepts over PAE(payloadType, payload), then the statement's subject digest, predicate type,
 * predicate schema and binding. The signature is checked before the payload is believed.
 */
export function verifyEnvelope(
  input: unknown,
  verifier: VerifierPort,
  expect: EnvelopeExpectation,
): Result<VerifiedStatement, EnvelopeFailure> {
  const parsed = dsseEnvelopeSchema.safeParse(input);
  if (!parsed.success) {
    return err({
      reason: 'malformed-envelope',
      message: `expected a DSSE envelope, found: ${parsed.error.issues[0]?.message}`,
    });
  }
  const envelope = parsed.data;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return err({
      reason: 'wrong-payload-type',
      message: `expected payloadType ${IN_TOTO_PAYLOAD_TYPE}, found ${JSON.stringify(envelope.payloadType)}`,
    });
  }
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const signers: VerifiedIdentity[] = [];
  const failures: SignatureFailure[] = [];
  for (const s of envelope.signatures) {
    const checked = verifier.verifySignature(s.keyid, pae, Buffer.from(s.sig, 'base64'), expect);
    if (checked.ok) signers.push(checked.value);
    else failures.push(checked.error);
  }
  if (signers.length === 0) {
    const worst = failureRank.find((r) => failures.some((f) => f.reason === r)) ?? 'unknown-key';
    const first = failures.find((f) => f.reason === worst)!;
    return err({ reason: worst, message: first.message, signatures: failures });
  }
  const statement = checkStatement(payload, expect);
  return statement.ok ? ok({ statement: statement.value, signers }) : statement;
}

function checkStatement(payload: Buffer, expect: EnvelopeExpectation): Result<Statement, EnvelopeFailure> {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return err({
      reason: 'malformed-statement',
      message: 'expected a JSON in-toto Statement, found bytes that are not JSON',
    });
  }
  const statement = statementSchema.safeParse(json);
  if (!statement.success) {
    const issue = statement.error.issues[0];
    return err({
      reason: 'malformed-statement',
      message: `expected an in-toto Statement v1, found ${issue?.path.join('.') || 'the statement'}: ${issue?.message}`,
    });
  }
  const want = bareSha256(expect.subjectDigest);
  const found = statement.data.subject.map((s) => s.digest.sha256);
  if (!want || !found.includes(want)) {
    return err({
      reason: 'subject-digest-mismatch',
      message: `expected subject sha256:${want ?? expect.subjectDigest}, found ${found.map((d) => `sha256:${d}`).join(', ')}`,
    });
  }
  const { predicateType } = statement.data;
  if (predicateType !== expect.predicateType) {
    return err({
      reason: 'predicate-type-mismatch',
      message: `expected predicateType ${expect.predicateType}, found ${predicateType}`,
    });
  }
  const schema = predicateSchemas[predicateType];
  const predicate = schema?.safeParse(statement.data.predicate ?? {});
  if (!schema || !predicate?.success) {
    const issue = predicate?.error?.issues[0];
    return err({
      reason: 'invalid-predicate',
      message: schema
        ? `expected a valid ${predicateType} predicate, found ${issue?.path.join('.') || 'predicate'}: ${issue?.message}`
        : `expected a predicate type shipgate knows, found ${predicateType}`,
    });
  }
  if (expect.binding) {
    const bound = bindingOf(predicateType, predicate.data);
    const same =
      bound &&
      bound.service === expect.binding.service &&
      bound.releaseId === expect.binding.releaseId &&
      bound.environment === expect.binding.environment;
    if (!same) {
      return err({
        reason: 'binding-mismatch',
        message: `expected ${describe(expect.binding)}, found ${bound ? describe(bound) : 'no binding'}`,
      });
    }
  }
  return ok({ ...statement.data, predicate: predicate.data } as Statement);
}

function describe(b: Binding): string {
  return `service ${b.service}, release ${b.releaseId}, environment ${b.environment}`;
}
