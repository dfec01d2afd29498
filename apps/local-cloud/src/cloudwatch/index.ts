import type { AlarmControl, CloudTime, JsonServiceApi } from '../contract';
import { AwsError } from '../contract';
import type { AlarmState, MetricAlarmRecord } from './metric-alarm';
import { missing, readAlarmName, renderMetricAlarm, validatePutMetricAlarm } from './metric-alarm';

export type { AlarmState } from './metric-alarm';
export { cloudWatchBindings, cloudWatchLegacyErrorCode } from './cloudwatch-service';

const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

function readState(input: Record<string, unknown>): AlarmState {
  const state = input['StateValue'];
  if (state === undefined || state === null || state === '') throw missing('StateValue');
  if (!STATES.includes(state as AlarmState))
    throw new AwsError(
      'InvalidParameterValueException',
      `The parameter StateValue must be one of ${STATES.join(', ')}; found ${JSON.stringify(state)}.`,
    );
  return state as AlarmState;
}

function stringList(input: Record<string, unknown>, key: string): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new AwsError('InvalidParameterValueException', `The parameter ${key} must be a list of strings.`);
  return value as string[];
}

/** CloudWatch metric alarms: the JSON 1.0 operations, the view CodeDeploy polls, and a switch for tests to fire alarms. */
export function createCloudWatch(deps: { region: string; accountId: string; time: CloudTime }): {
  api: JsonServiceApi;
  alarms: AlarmControl;
  setAlarmState(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason: string): void;
} {
  const alarms = new Map<string, MetricAlarmRecord>();

  function setState(name: string, state: AlarmState, reason: string, reasonData?: string): void {
    const alarm = alarms.get(name);
    if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);
    const now = deps.time.now();
    if (alarm.state !== state) alarm.stateTransitioned = now;
    alarm.state = state;
    alarm.stateReason = reason;
    if (reasonData === undefined) delete alarm.stateReasonData;
    else alarm.stateReasonData = reasonData;
    alarm.stateUpdated = now;
  }

  const api: JsonServiceApi = {
    PutMetricAlarm(input) {
      const name = readAlarmName(input);
      const config = validatePutMetricAlarm(input);
      const now = deps.time.now();
      const existing = alarms.get(name);
      if (existing) {
        // Updating an alarm replaces its configuration and leaves its state as it is.
        existing.config = config;
        existing.configUpdated = now;
      } else {
        alarms.set(name, {
          name,
          arn: `arn:aws:cloudwatch:${deps.region}:${deps.accountId}:alarm:${name}`,
          config,
          state: 'INSUFFICIENT_DATA',
          stateReason: 'Unchecked: Initial alarm creation',
          stateUpdated: now,
          stateTransitioned: now,
          configUpdated: now,
        });
      }
      return {};
    },
    DescribeAlarms(input) {
      const names = stringList(input, 'AlarmNames');
      const prefix = typeof input['AlarmNamePrefix'] === 'string' ? input['AlarmNamePrefix'] : undefined;
      if (names && prefix !== undefined)
        throw new AwsError(
          'InvalidParameterCombinationException',
          'The parameters AlarmNames and AlarmNamePrefix cannot be used together.',
        );
      if (names && names.length > 100)
        throw new AwsError(
          'InvalidParameterValueException',
          `The parameter AlarmNames holds ${names.length} names; at most 100 are allowed.`,
        );
      const state = input['StateValue'] === undefined || input['StateValue'] === null ? undefined : readState(input);
      const types = stringList(input, 'AlarmTypes') ?? ['MetricAlarm'];
      const maxRecords = input['MaxRecords'] ?? 50;
      if (typeof maxRecords !== 'number' || !Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100)
        throw new AwsError(
          'InvalidParameterValueException',
          `The parameter MaxRecords must be an integer from 1 to 100; found ${JSON.stringify(maxRecords)}.`,
        );
      const matching = [...alarms.values()]
        .filter(() => types.includes('MetricAlarm'))
        .filter((a) => !names || names.includes(a.name))
        .filter((a) => prefix === undefined || a.name.startsWith(prefix))
        .filter((a) => state === undefined || a.state === state)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const token = input['NextToken'];
      let offset = 0;
      if (token !== undefined && token !== null) {
        offset =
          typeof token === 'string' && /^\d+$/.test(Buffer.from(token, 'base64url').toString('utf8'))
            ? Number(Buffer.from(token, 'base64url').toString('utf8'))
            : -1;
        if (offset < 0) throw new AwsError('InvalidNextToken', 'The service returned an invalid NextToken.');
      }
      const page = matching.slice(offset, offset + maxRecords);
      const next =
        offset + maxRecords < matching.length
          ? Buffer.from(String(offset + maxRecords)).toString('base64url')
          : undefined;
      return { MetricAlarms: page.map(renderMetricAlarm), CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
    },
    SetAlarmState(input) {
      const name = readAlarmName(input);
      const state = readState(input);
      const reason = input['StateReason'];
      if (reason === undefined || reason === null) throw missing('StateReason');
      if (typeof reason !== 'string' || reason.length > 1023)
        throw new AwsError(
          'InvalidParameterValueException',
          'The parameter StateReason must be a string of at most 1023 characters.',
        );
      const data = input['StateReasonData'];
      if (data !== undefined && data !== null) {
        try {
          JSON.parse(String(data));
        } catch {
          throw new AwsError('InvalidFormatFault', 'The parameter StateReasonData is not valid JSON.');
        }
      }
      setState(name, state, reason, data === undefined || data === null ? undefined : String(data));
      return {};
    },
    DeleteAlarms(input) {
      const names = stringList(input, 'AlarmNames');
      if (!names) throw missing('AlarmNames');
      const unknown = names.filter((n) => !alarms.has(n));
      if (unknown.length > 0) throw new AwsError('ResourceNotFound', `Alarms not found: ${unknown.join(', ')}`, 404);
      for (const n of names) alarms.delete(n);
      return {};
    },
  };

  return {
    api,
    alarms: { alarmsInAlarm: (names) => names.filter((n) => alarms.get(n)?.state === 'ALARM') },
    setAlarmState: (name, state, reason) => setState(name, state, reason),
  };
}
