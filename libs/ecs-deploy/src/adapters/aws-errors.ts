import { ShipgateError, isShipgateError } from '@shipgate/model';

const notFound = new Set([
  'ApplicationDoesNotExistException',
  'DeploymentGroupDoesNotExistException',
  'DeploymentDoesNotExistException',
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'LoadBalancerNotFoundException',
  'LoadBalancerNotFound',
  'TargetGroupNotFoundException',
  'TargetGroupNotFound',
  'ListenerNotFoundException',
  'ListenerNotFound',
  'ResourceNotFoundException',
]);

/** The environment and service an AWS call was for, so the hint can name the command to run. */
export interface AwsCallContext {
  environment?: string;
  service?: string;
}

/**
 * Translates an AWS SDK exception into a ShipgateError, once, by exception name. Throttling never
 * reaches here until the SDK's own retry strategy has given up.
 */
export function translateAwsError(error: unknown, operation: string, context: AwsCallContext = {}): ShipgateError {
  if (isShipgateError(error)) return error;
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const message = e.message ?? String(error);
  const bootstrap = context.environment
    ? `shipgate bootstrap ${context.environment}${context.service ? ` --service ${context.service}` : ''}`
    : 'shipgate bootstrap <environment>';
  if (notFound.has(name)) {
    return new ShipgateError(
      'AWS_NOT_FOUND',
      `${operation}: expected the resource to exist, found ${name}: ${message}`,
      { hint: `Run \`${bootstrap}\` to create what the environment needs.`, cause: error, details: { awsError: name } },
    );
  }
  if (name === 'DeploymentLimitExceededException' || name === 'DeploymentAlreadyStartedException') {
    const id = /d-[A-Z0-9]{6,}/.exec(message)?.[0];
    return new ShipgateError(
      'DEPLOY_IN_FLIGHT',
      `${operation}: expected no active deployment in the group, found ${id ?? 'one'} (${name})`,
      {
        hint: 'Wait for it, or use --if-busy wait or --if-busy supersede.',
        cause: error,
        details: { awsError: name, ...(id ? { deploymentId: id } : {}) },
      },
    );
  }
  if (/Credential|ExpiredToken|UnrecognizedClient|InvalidClientTokenId|AccessDenied/i.test(name)) {
    return new ShipgateError('AWS_ERROR', `${operation}: AWS refused the credentials (${name}): ${message}`, {
      hint: 'Check the credentials (AWS_PROFILE, or the role the workflow assumes through OIDC) and their permissions.',
      cause: error,
      details: { awsError: name },
    });
  }
  const code = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || name === 'TimeoutError') {
    return new ShipgateError(
      'AWS_ERROR',
      `${operation}: could not reach the AWS endpoint (${code ?? name}): ${message}`,
      {
        hint: 'Is local-cloud running (AWS_ENDPOINT_URL)? Otherwise check the network and the region.',
        cause: error,
        details: { awsError: name },
      },
    );
  }
  return new ShipgateError('AWS_ERROR', `${operation} failed with ${name}: ${message}`, {
    hint: 'Run the command again; if it keeps failing, the AWS error above names the cause.',
    cause: error,
    details: { awsError: name, httpStatus: e.$metadata?.httpStatusCode },
  });
}

/** Runs one AWS call, translating its exception. */
export async function awsCall<T>(operation: string, context: AwsCallContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateAwsError(error, operation, context);
  }
}

/** The AWS exception name of an error (before translation), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  return (error as { name?: string })?.name;
}
