import type { AlarmControl, CloudTime, EcsControl, ElbRuleControl } from '../contract';
import type { Ecs } from './ecs';

/** Knobs of ECS-native deployments. */
export interface NativeDeploymentOptions {
  /** How long SCALE_UP waits for the new revision to be healthy before rolling back, in cloud minutes (60). */
  scaleUpTimeoutMinutes?: number;
  /** How often alarms are polled, in real milliseconds (1000). */
  alarmPollRealMs?: number;
}

/** What ECS-native deployments work with: ECS state, task sets, listener rules, alarms and the cloud clock. */
export interface NativeContext {
  ecs: Ecs;
  control: EcsControl;
  rules: ElbRuleControl;
  alarms: AlarmControl;
  time: CloudTime;
  options: Required<NativeDeploymentOptions>;
}
