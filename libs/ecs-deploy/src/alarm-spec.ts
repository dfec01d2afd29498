/** The alarm shipgate creates for a name in `deploy.alarms` (bootstrap on local-cloud, the CDK stacks on AWS). */
export interface AlarmSpec {
  name: string;
  description: string;
  namespace: 'AWS/ApplicationELB';
  metricName: 'HTTPCode_Target_5XX_Count';
  statistic: 'Sum';
  periodSeconds: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: 'GreaterThanOrEqualToThreshold';
  treatMissingData: 'notBreaching';
}

/** One rule for both creators: 5 or more 5xx answers of the service's targets within a minute. */
export function desiredAlarm(name: string): AlarmSpec {
  return {
    name,
    description: '5xx answers of the service behind the load balancer; a deployment that trips it is rolled back.',
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    statistic: 'Sum',
    periodSeconds: 60,
    evaluationPeriods: 1,
    threshold: 5,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
  };
}
