// @shipgate/trust: signed records. DSSE envelopes holding in-toto Statements, signed by CI keys,
// by people through SSH (SSHSIG, as ssh-keygen -Y sign writes), or by the local rehearsal key, and
// verified against a trust policy. docs/attestations.md describes the predicates.
export * from './statement';
export * from './pae';
export * from './envelope';
export * from './ports';
export * from './verify-envelope';
export * from './trust-policy';
export * from './key-id';
export * from './key-signer';
export * from './rehearsal-key';
export * from './predicates/binding';
export * from './predicates/test-result';
export * from './predicates/stress';
export * from './predicates/approval';
export * from './predicates/deployment';
export * from './predicates/release';
export * from './predicates/audit-checkpoint';
export * from './predicates/rollback-authorisation';
export * from './predicates/predicate-registry';
export * from './ssh/sshsig';
export * from './ssh/ssh-public-key';
export * from './ssh/allowed-signers';
export * from './ssh/match-pattern';
export * from './ssh/ssh-key-file';
export * from './ssh/ssh-agent';
export * from './ssh/ssh-dsse-signer';
export * from './ssh/verify-ssh-signature';
export * from './signed-record';
export * from './records/deployment-record';
export * from './records/rollback-authorisation';
export * from './records/release-record';
export * from './kms-signer';
