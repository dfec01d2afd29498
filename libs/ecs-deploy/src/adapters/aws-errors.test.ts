import { describe, expect, it } from 'vitest';
import { translateAwsError } from './aws-errors';

const awsError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe('translateAwsError', () => {
  it('turns missing resources into AWS_NOT_FOUND with the bootstrap command to run', () => {
    const e = translateAwsError(
      awsError('DeploymentGroupDoesNotExistException', 'No Deployment Group found for name: api'),
      'CodeDeploy ListDeployments',
      { environment: 'staging', service: 'api' },
    );
    expect(e.code).toBe('AWS_NOT_FOUND');
    expect(e.exitCode).toBe(2);
    expect(e.hint).toBe('Run `shipgate bootstrap staging --service api` to create what the environment needs.');
  });

  it('turns a deployment limit into DEPLOY_IN_FLIGHT naming the active deployment', () => {
    const e = translateAwsError(
      awsError(
        'DeploymentLimitExceededException',
        "The Deployment Group 'api' already has an active Deployment 'd-ABC123XYZ'",
      ),
      'CodeDeploy CreateDeployment',
    );
    expect(e.code).toBe('DEPLOY_IN_FLIGHT');
    expect(e.details).toMatchObject({ deploymentId: 'd-ABC123XYZ' });
  });

  it('says when the endpoint cannot be reached, and keeps other AWS errors as infrastructure errors', () => {
    const refused = translateAwsError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      'ECS DescribeServices',
    );
    expect(refused.code).toBe('AWS_ERROR');
    expect(refused.hint).toContain('AWS_ENDPOINT_URL');
    const other = translateAwsError(awsError('InvalidParameterException', 'bad'), 'ECS CreateService');
    expect([other.code, other.exitCode, other.message]).toEqual([
      'AWS_ERROR',
      3,
      'ECS CreateService failed with InvalidParameterException: bad',
    ]);
  });
});
