/**
 * What k6's exit codes mean, from k6's own list (errext/exitcodes in the k6 source): 99 is the only
 * failure that still leaves a complete run with a summary; every other non-zero code means k6 did not run
 * the test through.
 */
const meanings: Record<number, string> = {
  97: 'the cloud test run failed',
  98: 'k6 could not get the progress of its cloud run',
  99: 'thresholds were crossed',
  100: 'setup() ran past its timeout',
  101: 'teardown() ran past its timeout',
  102: 'a timeout',
  103: "an engine error, or the run was stopped through k6's REST API",
  104: 'the configuration or options are invalid',
  105: 'the run was stopped by a signal (SIGINT or SIGTERM)',
  106: 'k6 could not start its REST API (is its port, 6565 by default, in use?)',
  107: 'the script threw an exception',
  108: 'the script called test.abort()',
  109: 'k6 itself crashed (a Go panic)',
  // k6 exits -1 (255) on an error without a code of its own: an unknown option, a script that is missing.
  255: 'a command-line error (an unknown option, a missing script file)',
};

/** `107: the script threw an exception`; the bare code when k6 documents no meaning for it. */
export function describeK6Exit(code: number): string {
  const meaning = meanings[code];
  return meaning ? `${code}: ${meaning}` : String(code);
}
