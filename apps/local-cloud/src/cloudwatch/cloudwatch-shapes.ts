import type { QueryShape } from '../server/query-shape';

// The input members of the CloudWatch operations local-cloud serves, with their types, as the CloudWatch API
// reference (2010-08-01) defines them: what the Query protocol needs to turn form text into typed input.

const dimensions: QueryShape = [{ Name: 'string', Value: 'string' }];

const metricDataQuery: QueryShape = {
  Id: 'string',
  MetricStat: {
    Metric: { Namespace: 'string', MetricName: 'string', Dimensions: dimensions },
    Period: 'integer',
    Stat: 'string',
    Unit: 'string',
  },
  Expression: 'string',
  Label: 'string',
  ReturnData: 'boolean',
  Period: 'integer',
  AccountId: 'string',
};

/** Operation name → its input shape. */
export const CLOUDWATCH_INPUT_SHAPES: Readonly<Record<string, { readonly [member: string]: QueryShape }>> = {
  PutMetricAlarm: {
    AlarmName: 'string',
    AlarmDescription: 'string',
    ActionsEnabled: 'boolean',
    OKActions: ['string'],
    AlarmActions: ['string'],
    InsufficientDataActions: ['string'],
    MetricName: 'string',
    Namespace: 'string',
    Statistic: 'string',
    ExtendedStatistic: 'string',
    Dimensions: dimensions,
    Period: 'integer',
    Unit: 'string',
    EvaluationPeriods: 'integer',
    DatapointsToAlarm: 'integer',
    Threshold: 'double',
    ComparisonOperator: 'string',
    TreatMissingData: 'string',
    EvaluateLowSampleCountPercentile: 'string',
    Metrics: [metricDataQuery],
    Tags: [{ Key: 'string', Value: 'string' }],
    ThresholdMetricId: 'string',
  },
  DescribeAlarms: {
    AlarmNames: ['string'],
    AlarmNamePrefix: 'string',
    AlarmTypes: ['string'],
    ChildrenOfAlarmName: 'string',
    ParentsOfAlarmName: 'string',
    StateValue: 'string',
    ActionPrefix: 'string',
    MaxRecords: 'integer',
    NextToken: 'string',
  },
  SetAlarmState: { AlarmName: 'string', StateValue: 'string', StateReason: 'string', StateReasonData: 'string' },
  DeleteAlarms: { AlarmNames: ['string'] },
};
