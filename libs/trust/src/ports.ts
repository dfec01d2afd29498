import type { Result } from '@shipgate/model';

/** Where the record is about to take effect; the caller decides it from the resolved AWS target. */
export type TargetKind = 'local-cloud' | 'aws';

/** Who a key belongs to, as the policy describes it (never what a caller claims on the command line). */
export interface SignerIdentity {
  /** `ci` for a pipeline identity, `person` for an SSH key, `local-rehearsal` for the rehearsal's own key. */
  kind: 'ci' | 'person' | 'local-rehearsal';
  /** A readable name: a GitHub workflow identity, an SSH principal, `local-rehearsal`. */
  name: string;
  /** For a CI identity: the environment it belongs to (its records count as that environment's facts). */
  environment?: string;
  /** For the build's CI identity (trust.build.ci): it signs releases, and nothing else counts by it. */
  build?: true;
}

/** Signs bytes with one key. The DSSE layer hands it the PAE bytes. */
export interface SignerPort {
  /** The key's id as it appears in a DSSE signature (`SHA256:<base64>` fingerprint). */
  readonly keyId: string;
  /** Who the signer says it is: a hint for the reader; verification decides the identity from the key. */
  readonly identity: SignerIdentity;
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

/** What a verifier needs to know besides the bytes. */
export interface VerificationContext {
  targetKind: TargetKind;
  /** The time keys' validity windows are checked against. */
  now: Date;
}

/** The identity a signature was verified to come from. */
export interface VerifiedIdentity extends SignerIdentity {
  keyId: string;
  /** For SSH signatures: every allowed-signers principal that matched the key, namespace and time. */
  principals?: string[];
}

/** Why one signature did not verify. */
export interface SignatureFailure {
  reason: 'unknown-key' | 'bad-signature' | 'key-not-allowed-for-target' | 'signer-not-allowed';
  message: string;
}

/** Checks one DSSE signature against the keys and identities a trust policy accepts. */
export interface VerifierPort {
  verifySignature(
    keyId: string,
    signedBytes: Uint8Array,
    signature: Uint8Array,
    context: VerificationContext,
  ): Result<VerifiedIdentity, SignatureFailure>;
}
