import { randomBytes, randomUUID } from 'node:crypto';

/** The account every local-cloud resource belongs to (LocalStack's convention). */
export const ACCOUNT_ID = '000000000000';

/** `n` lowercase hex characters. */
export function hexId(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

/** `n` decimal digits, the first non-zero (ECS deployment and task-set ids look like this). */
export function digitId(n: number): string {
  const bytes = randomBytes(n);
  let out = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < n; i++) out += String(bytes[i]! % 10);
  return out;
}

/** An AWS request id. */
export function requestId(): string {
  return randomUUID();
}
