import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { testCredentials } from '../test-support';

// The KMS shipgate's CI signer uses, through the real SDK client over AWS JSON 1.1; every signature is
// checked with node:crypto against the public key GetPublicKey returned, not with the service itself.
let cloud: LocalCloud;
let kms: KMSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0 });
  kms = new KMSClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  kms?.destroy();
  await cloud?.close();
});

describe('local-cloud KMS (TrentService)', () => {
  it('creates an ECC_NIST_P256 signing key, names it by alias, and signs a digest that openssl-style verification accepts', async () => {
    const created = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'staging CI' }),
    );
    const keyId = created.KeyMetadata!.KeyId!;
    expect(created.KeyMetadata).toMatchObject({ KeySpec: 'ECC_NIST_P256', SigningAlgorithms: ['ECDSA_SHA_256'] });
    expect(created.KeyMetadata!.Arn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${keyId}`);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/staging-ci', TargetKeyId: keyId }));

    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: 'alias/staging-ci' }));
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    const message = Buffer.from('DSSEv1 28 application/vnd.in-toto+json 2 {}');
    const digest = createHash('sha256').update(message).digest();
    const signed = await kms.send(
      new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    const signature = Buffer.from(signed.Signature!);
    // A DIGEST signature is a signature over the message whose sha256 it is: exactly what verifiers check.
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(false);

    const raw = await kms.send(
      new SignCommand({
        KeyId: created.KeyMetadata!.Arn!,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(raw.Signature!))).toBe(true);

    const ok = await kms.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: digest,
        MessageType: 'DIGEST',
        Signature: signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(ok.SignatureValid).toBe(true);
    const tampered = Buffer.from(signature);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    await expect(
      kms.send(
        new VerifyCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          Signature: tampered,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidSignatureException' });
  });

  it('answers as KMS does for an unknown key, a key spec it does not make, and a digest of the wrong length', async () => {
    await expect(kms.send(new GetPublicKeyCommand({ KeyId: 'alias/nobody' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    await expect(
      kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })),
    ).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    await expect(
      kms.send(
        new SignCommand({
          KeyId: KeyMetadata!.KeyId!,
          Message: Buffer.alloc(20),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
