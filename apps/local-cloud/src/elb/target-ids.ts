import { isIPv4 } from 'node:net';
import { AwsError } from '../contract';

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * Checks a RegisterTargets `Id` against the target group's type as ELBv2 does: an `ip` group takes IPv4 addresses
 * only, an `instance` group instance ids only. local-cloud runs no EC2 instances, so a well-formed instance id names
 * no instance it can register.
 */
export function checkTargetId(targetType: string, id: string): void {
  if (targetType === 'ip') {
    if (!isIPv4(id)) throw new AwsError('ValidationError', `The IP address '${id}' is not a valid IPv4 address`);
    return;
  }
  if (!INSTANCE_ID.test(id)) throw new AwsError('ValidationError', `Instance ID '${id}' is not valid`);
  throw new AwsError(
    'InvalidTarget',
    `The following targets are not valid instances: '${id}' (local-cloud runs no EC2 instances; register IP targets in an 'ip' target group)`,
  );
}
