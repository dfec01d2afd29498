// The few k6 APIs the scripts use, declared here so that no types package is needed. k6 provides
// these modules at run time; esbuild leaves `k6` and `k6/*` imports external.
declare module 'k6' {
  /** Records each named assertion as a pass or fail of the `checks` metric; true when all passed. */
  export function check<T>(
    value: T,
    sets: Record<string, (value: T) => boolean>,
    tags?: Record<string, string>,
  ): boolean;
  /** Pauses this virtual user for `seconds`. */
  export function sleep(seconds: number): void;
}

declare module 'k6/http' {
  /** One HTTP answer as k6 sees it; header names are canonicalised (`X-Release-Id`). */
  export interface RefinedResponse {
    status: number;
    body: string | null;
    headers: Record<string, string>;
    url: string;
    timings: { duration: number };
    json(selector?: string): unknown;
  }
  export interface RefinedParams {
    headers?: Record<string, string>;
    tags?: Record<string, string>;
    timeout?: string;
  }
  /** Sends a GET request and waits for the answer. */
  export function get(url: string, params?: RefinedParams): RefinedResponse;
  const http: { get: typeof get };
  export default http;
}

/** Environment variables given to k6 (`-e NAME=value` or the process environment). */
declare const __ENV: Record<string, string | undefined>;
/** The number of the current virtual user (1-based). */
declare const __VU: number;
/** The iteration number of the current virtual user (0-based). */
declare const __ITER: number;
