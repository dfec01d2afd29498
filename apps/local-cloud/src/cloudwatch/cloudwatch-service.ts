import { AwsError, type JsonServiceApi } from '../contract';
import type { JsonServiceBinding } from '../server/json-protocol';
import type { QueryServiceBinding } from '../server/query-protocol';
import { queryToJson } from '../server/query-shape';
import { CLOUDWATCH_INPUT_SHAPES } from './cloudwatch-shapes';

/**
 * The legacy Query error code of each error name the CloudWatch module throws. The Query protocol answers with it
 * in `<Code>`, and the JSON and CBOR protocols in "query-compatible" mode in `x-amzn-query-error: <Code>;Sender`.
 */
export const CLOUDWATCH_QUERY_ERROR_CODES: Readonly<Record<string, string>> = {
  ResourceNotFound: 'ResourceNotFound',
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  MissingRequiredParameterException: 'MissingParameter',
  ValidationException: 'ValidationError',
  InvalidNextToken: 'InvalidNextToken',
  InvalidFormatFault: 'InvalidFormat',
  LimitExceededFault: 'LimitExceeded',
};

/** The legacy Query code of a CloudWatch error. */
export function cloudWatchLegacyErrorCode(error: AwsError): string {
  return Object.hasOwn(CLOUDWATCH_QUERY_ERROR_CODES, error.code)
    ? CLOUDWATCH_QUERY_ERROR_CODES[error.code]!
    : error.code;
}

/**
 * CloudWatch over every protocol its model offers: AWS JSON 1.0 (the JS SDK's default, and botocore's, so the AWS
 * CLI v1's) and Smithy RPC v2 CBOR (which the SDKs can select) from one binding, and the Query protocol (the AWS CLI
 * v2's) from the other. All of them call the same operations.
 */
export function cloudWatchBindings(api: JsonServiceApi): { json: JsonServiceBinding; query: QueryServiceBinding } {
  const invalid = (message: string) => new AwsError('InvalidParameterValueException', message);
  const queryApi: QueryServiceBinding['api'] = {};
  for (const [operation, handler] of Object.entries(api)) {
    const shape = CLOUDWATCH_INPUT_SHAPES[operation];
    if (!shape) throw new Error(`local-cloud: CloudWatch ${operation} has no input shape for the Query protocol`);
    queryApi[operation] = (params) => handler(queryToJson(shape, params, invalid));
  }
  return {
    json: {
      name: 'cloudwatch',
      targetPrefix: 'GraniteServiceVersion20100801',
      jsonVersion: '1.0',
      queryCompatible: true,
      legacyErrorCode: cloudWatchLegacyErrorCode,
      rpcV2Cbor: { namespace: 'com.amazonaws.cloudwatch' },
      api,
    },
    query: {
      name: 'cloudwatch',
      version: '2010-08-01',
      xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
      errorCode: cloudWatchLegacyErrorCode,
      api: queryApi,
    },
  };
}
