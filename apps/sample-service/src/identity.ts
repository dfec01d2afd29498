/** Who this process is: the release it was deployed as, read once from the task's environment. */
export interface ReleaseIdentity {
  service: string;
  release: string;
  digest: string;
  /** The build the image was made from (v1, v2, …), baked in at bundle time. */
  build?: string;
}

/** Reads SHIPGATE_SERVICE / SHIPGATE_RELEASE / SHIPGATE_DIGEST (set by the task definition). */
export function identityFromEnv(env: NodeJS.ProcessEnv): ReleaseIdentity {
  return {
    service: env.SHIPGATE_SERVICE || 'sample-service',
    release: env.SHIPGATE_RELEASE || 'unreleased',
    digest: env.SHIPGATE_DIGEST || 'unknown',
  };
}
