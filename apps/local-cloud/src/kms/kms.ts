import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { AwsError, type JsonServiceApi } from '../contract';
import { ACCOUNT_ID } from '../ids';

// A minimal AWS KMS (TrentService, AWS JSON 1.1) for what shipgate signs with: asymmetric
// ECC_NIST_P256 keys for SIGN_VERIFY, aliases, GetPublicKey, Sign and Verify with ECDSA_SHA_256.
// Keys live in memory for the life of the process; there are no key policies (local-cloud has no IAM).
// Signing a DIGEST needs ECDSA over a given hash, which node:crypto cannot do (it always hashes the
// input), so the curve arithmetic is @noble/curves' (audited, no install scripts).

interface Key {
  id: string;
  arn: string;
  description: string;
  created: Date;
  /** The private scalar and the uncompressed public point, as noble-curves takes them. */
  secret: Uint8Array;
  point: Uint8Array;
  publicDer: Buffer;
}

const SPEC = 'ECC_NIST_P256';
const ALGORITHM = 'ECDSA_SHA_256';

function text(input: Record<string, unknown>, key: string, required = true): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (required) throw new AwsError('ValidationException', `1 validation error detected: ${key} must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new AwsError('ValidationException', `${key} must be a string`);
  return value;
}

function blob(input: Record<string, unknown>, key: string): Buffer {
  const value = text(input, key)!;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new AwsError('ValidationException', `${key} must be base64`);
  return Buffer.from(value, 'base64');
}

/** The KMS service of one local cloud. */
export function createKms(region: string): { api: JsonServiceApi } {
  const keys = new Map<string, Key>();
  const aliases = new Map<string, string>();
  const arnOf = (id: string) => `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${id}`;

  function resolve(ref: string): Key {
    let id = ref;
    if (ref.startsWith('alias/') || ref.includes(':alias/')) id = aliases.get(ref.slice(ref.indexOf('alias/'))) ?? '';
    else if (ref.startsWith('arn:')) id = ref.slice(ref.lastIndexOf('/') + 1);
    const key = keys.get(id);
    if (!key) throw new AwsError('NotFoundException', `Key '${arnOf(ref)}' does not exist`);
    return key;
  }

  function algorithmOf(input: Record<string, unknown>): void {
    const algorithm = text(input, 'SigningAlgorithm')!;
    if (algorithm !== ALGORITHM)
      throw new AwsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${SPEC}.`);
  }

  /** The sha256 digest the signature is over: the message itself for DIGEST, its hash for RAW. */
  function digestOf(input: Record<string, unknown>): Buffer {
    const message = blob(input, 'Message');
    const type = text(input, 'MessageType', false) ?? 'RAW';
    if (type === 'DIGEST') {
      if (message.length !== 32)
        throw new AwsError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
      return message;
    }
    if (type !== 'RAW') throw new AwsError('ValidationException', `MessageType must be RAW or DIGEST`);
    if (message.length > 4096) throw new AwsError('ValidationException', 'Message must be at most 4096 bytes');
    return createHash('sha256').update(message).digest();
  }

  const metadata = (k: Key) => ({
    AWSAccountId: ACCOUNT_ID,
    KeyId: k.id,
    Arn: k.arn,
    CreationDate: k.created,
    Enabled: true,
    Description: k.description,
    KeyUsage: 'SIGN_VERIFY',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    KeySpec: SPEC,
    CustomerMasterKeySpec: SPEC,
    SigningAlgorithms: [ALGORITHM],
    MultiRegion: false,
  });

  return {
    api: {
      CreateKey(input) {
        const spec =
          text(input, 'KeySpec', false) ?? text(input, 'CustomerMasterKeySpec', false) ?? 'SYMMETRIC_DEFAULT';
        const usage = text(input, 'KeyUsage', false) ?? 'ENCRYPT_DECRYPT';
        if (spec !== SPEC || usage !== 'SIGN_VERIFY')
          throw new AwsError(
            'UnsupportedOperationException',
            `local-cloud KMS makes only ${SPEC} keys for SIGN_VERIFY; found KeySpec ${spec}, KeyUsage ${usage}`,
          );
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const jwk = privateKey.export({ format: 'jwk' });
        const b64 = (v: string | undefined) => Buffer.from(v!, 'base64url');
        const id = randomUUID();
        const key: Key = {
          id,
          arn: arnOf(id),
          description: text(input, 'Description', false) ?? '',
          created: new Date(),
          secret: b64(jwk.d),
          point: Buffer.concat([Buffer.from([4]), b64(jwk.x), b64(jwk.y)]),
          publicDer: publicKey.export({ type: 'spki', format: 'der' }),
        };
        keys.set(id, key);
        return { KeyMetadata: metadata(key) };
      },
      CreateAlias(input) {
        const name = text(input, 'AliasName')!;
        if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name) || name.startsWith('alias/aws/'))
          throw new AwsError('ValidationException', `Alias ${name} must start with alias/ and not alias/aws/`);
        if (aliases.has(name))
          throw new AwsError('AlreadyExistsException', `An alias with the name ${arnOf(name)} already exists`);
        aliases.set(name, resolve(text(input, 'TargetKeyId')!).id);
        return {};
      },
      DescribeKey: (input) => ({ KeyMetadata: metadata(resolve(text(input, 'KeyId')!)) }),
      GetPublicKey(input) {
        const key = resolve(text(input, 'KeyId')!);
        return {
          KeyId: key.arn,
          PublicKey: key.publicDer.toString('base64'),
          KeySpec: SPEC,
          CustomerMasterKeySpec: SPEC,
          KeyUsage: 'SIGN_VERIFY',
          SigningAlgorithms: [ALGORITHM],
        };
      },
      Sign(input) {
        const key = resolve(text(input, 'KeyId')!);
        algorithmOf(input);
        const digest = digestOf(input);
        // ECDSA over a digest that is already sha256: sign the digest without hashing it again.
        const signature = p256.sign(digest, key.secret, { prehash: false, format: 'der' });
        return { KeyId: key.arn, Signature: Buffer.from(signature).toString('base64'), SigningAlgorithm: ALGORITHM };
      },
      Verify(input) {
        const key = resolve(text(input, 'KeyId')!);
        algorithmOf(input);
        let valid = false;
        try {
          valid = p256.verify(blob(input, 'Signature'), digestOf(input), key.point, { prehash: false, format: 'der' });
        } catch {
          valid = false; // a signature that is not DER is invalid, as KMS says of any bad signature
        }
        if (!valid) throw new AwsError('KMSInvalidSignatureException', 'The signature is not valid.');
        return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: ALGORITHM };
      },
    },
  };
}
