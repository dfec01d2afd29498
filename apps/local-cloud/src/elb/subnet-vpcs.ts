import { createHash } from 'node:crypto';
import { AwsError } from '../contract';
import type { LoadBalancer, TargetGroup } from './model';

/**
 * Which VPC each subnet is in. local-cloud has no EC2 to ask, so it learns it from the calls: a load balancer in a
 * subnet that is already known is in that subnet's VPC; one whose subnets are all new is provisionally in a VPC
 * derived from them (the same subnets give the same id, run after run), until its first listener forwards to a target
 * group, whose VPC it then takes, with its subnets. From then on a subnet belongs to that one VPC.
 */
export class SubnetVpcs {
  private readonly vpcOf = new Map<string, string>();
  private readonly bound = new WeakSet<LoadBalancer>();

  /** The VPC of a new load balancer in these subnets; refuses subnets known to be in two VPCs. */
  vpcFor(subnets: string[]): { vpcId: string; known: boolean } {
    const known = [...new Set(subnets.flatMap((s) => (this.vpcOf.has(s) ? [this.vpcOf.get(s)!] : [])))];
    if (known.length > 1)
      throw new AwsError(
        'InvalidConfigurationRequest',
        `The subnets '${subnets.join(', ')}' are in different VPCs ('${known.join("', '")}'); a load balancer's subnets must all be in one VPC`,
      );
    return known.length === 1 ? { vpcId: known[0]!, known: true } : { vpcId: provisionalVpcId(subnets), known: false };
  }

  /** Records a new load balancer; when its VPC came from known subnets, its other subnets join that VPC. */
  add(lb: LoadBalancer, known: boolean): void {
    if (known) this.bind(lb, lb.vpcId);
  }

  /**
   * What CreateListener and ModifyListener check: every target group a listener forwards to is in the load
   * balancer's VPC. A load balancer whose VPC was provisional takes the first target group's, as do the others
   * still provisional in the same subnets.
   */
  checkForward(lb: LoadBalancer, groups: TargetGroup[], all: Iterable<LoadBalancer>): void {
    const bound = this.bound.has(lb);
    const vpcId = bound ? lb.vpcId : (groups[0]?.vpcId ?? lb.vpcId);
    const stranger = groups.find((tg) => tg.vpcId !== vpcId);
    if (stranger)
      throw new AwsError(
        'InvalidConfigurationRequest',
        `Target group '${stranger.arn}' is in a different VPC than load balancer '${lb.arn}'`,
      );
    if (bound || groups.length === 0) return;
    const subnets = new Set(lb.subnets);
    for (const other of all)
      if (other === lb || (!this.bound.has(other) && other.subnets.some((s) => subnets.has(s))))
        this.bind(other, vpcId);
  }

  private bind(lb: LoadBalancer, vpcId: string): void {
    lb.vpcId = vpcId;
    this.bound.add(lb);
    for (const s of lb.subnets) this.vpcOf.set(s, vpcId);
  }
}

// `vpc-` and 17 hex digits, as AWS's VPC ids, from the sorted subnet ids.
function provisionalVpcId(subnets: string[]): string {
  return `vpc-${createHash('sha256')
    .update([...subnets].sort().join(','))
    .digest('hex')
    .slice(0, 17)}`;
}
