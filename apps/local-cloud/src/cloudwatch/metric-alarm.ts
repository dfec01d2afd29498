import { AwsError } from '../contract';

/** An alarm's state. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A metric alarm as stored; `config` holds the PutMetricAlarm members echoed back by DescribeAlarms. */
export interface MetricAlarmRecord {
  name: string;
  arn: string;
  config: Record<string, unknown>;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdated: Date;
  stateTransitioned: Date;
  configUpdated: Date;
}

const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];

// The members of PutMetricAlarm that DescribeAlarms returns as they were given.
const ECHOED = [
  'AlarmDescription',
  'ActionsEnabled',
  'OKActions',
  'AlarmActions',
  'InsufficientDataActions',
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'ComparisonOperator',
  'TreatMissingData',
  'EvaluateLowSampleCountPercentile',
  'Metrics',
  'ThresholdMetricId',
];

/** AWS's wording for a missing required member. */
export function missing(member: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
  );
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}

/** Reads an alarm name as every alarm operation does. */
export function readAlarmName(input: Record<string, unknown>, key = 'AlarmName'): string {
  const name = input[key];
  if (name === undefined || name === null || name === '') throw missing(key);
  if (typeof name !== 'string' || name.length > 255)
    throw invalid(`The parameter ${key} must be a string of 1 to 255 characters.`);
  return name;
}

function intMember(input: Record<string, unknown>, key: string, min: number): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw invalid(`The parameter ${key} must be an integer of at least ${min}; found ${JSON.stringify(value)}.`);
  return value;
}

/** Validates PutMetricAlarm input as CloudWatch does; returns the members DescribeAlarms echoes. */
export function validatePutMetricAlarm(input: Record<string, unknown>): Record<string, unknown> {
  readAlarmName(input);
  const periods = intMember(input, 'EvaluationPeriods', 1);
  if (periods === undefined) throw missing('EvaluationPeriods');
  const operator = input['ComparisonOperator'];
  if (operator === undefined || operator === null) throw missing('ComparisonOperator');
  if (typeof operator !== 'string' || !COMPARISON_OPERATORS.includes(operator))
    throw invalid(
      `The parameter ComparisonOperator must be one of ${COMPARISON_OPERATORS.join(', ')}; found ${JSON.stringify(operator)}.`,
    );
  const datapoints = intMember(input, 'DatapointsToAlarm', 1);
  if (datapoints !== undefined && datapoints > periods)
    throw invalid(`DatapointsToAlarm (${datapoints}) must not exceed EvaluationPeriods (${periods}).`);
  const metrics = input['Metrics'];
  if (metrics !== undefined && metrics !== null) {
    if (!Array.isArray(metrics) || metrics.length === 0)
      throw invalid('The parameter Metrics must be a non-empty list.');
    if (input['MetricName'] !== undefined || input['Namespace'] !== undefined || input['Statistic'] !== undefined) {
      throw new AwsError(
        'InvalidParameterCombinationException',
        'The parameters MetricName, Namespace and Statistic cannot be combined with Metrics.',
      );
    }
  } else {
    for (const key of ['MetricName', 'Namespace'])
      if (typeof input[key] !== 'string' || input[key] === '') throw missing(key);
    const stat = input['Statistic'];
    const extended = input['ExtendedStatistic'];
    if (stat === undefined && extended === undefined)
      throw new AwsError(
        'MissingRequiredParameterException',
        'Either the parameter Statistic or ExtendedStatistic is required.',
      );
    if (stat !== undefined && extended !== undefined)
      throw new AwsError(
        'InvalidParameterCombinationException',
        'The parameters Statistic and ExtendedStatistic cannot both be given.',
      );
    if (stat !== undefined && (typeof stat !== 'string' || !STATISTICS.includes(stat)))
      throw invalid(`The parameter Statistic must be one of ${STATISTICS.join(', ')}; found ${JSON.stringify(stat)}.`);
    const period = intMember(input, 'Period', 1);
    if (period === undefined) throw missing('Period');
    if (![10, 20, 30].includes(period) && period % 60 !== 0)
      throw invalid(`The parameter Period must be 10, 20, 30 or a multiple of 60; found ${period}.`);
  }
  const threshold = input['Threshold'];
  if ((threshold === undefined || threshold === null) && input['ThresholdMetricId'] === undefined)
    throw new AwsError(
      'MissingRequiredParameterException',
      'The parameter Threshold is required unless ThresholdMetricId is given.',
    );
  if (threshold !== undefined && threshold !== null && typeof threshold !== 'number')
    throw invalid(`The parameter Threshold must be a number; found ${JSON.stringify(threshold)}.`);
  const treat = input['TreatMissingData'];
  if (treat !== undefined && (typeof treat !== 'string' || !TREAT_MISSING.includes(treat)))
    throw invalid(
      `The parameter TreatMissingData must be one of ${TREAT_MISSING.join(', ')}; found ${JSON.stringify(treat)}.`,
    );
  const echoed: Record<string, unknown> = {
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    Dimensions: [],
  };
  for (const key of ECHOED) if (input[key] !== undefined && input[key] !== null) echoed[key] = input[key];
  if (echoed['Metrics'] !== undefined) delete echoed['Dimensions'];
  return echoed;
}

/** The wire form (`MetricAlarm`); each protocol writes the timestamps its own way. */
export function renderMetricAlarm(alarm: MetricAlarmRecord): Record<string, unknown> {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmConfigurationUpdatedTimestamp: alarm.configUpdated,
    ...alarm.config,
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    ...(alarm.stateReasonData !== undefined ? { StateReasonData: alarm.stateReasonData } : {}),
    StateUpdatedTimestamp: alarm.stateUpdated,
    StateTransitionedTimestamp: alarm.stateTransitioned,
  };
}
