// Stands in for k6's modules when a bundle runs under Node in a test: records checks, answers
// requests from a table the test sets on globalThis.
export function check(value, sets) {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    const ok = Boolean(fn(value));
    globalThis.k6Stub.checks.push({ name, ok });
    all &&= ok;
  }
  return all;
}
export function sleep() {}
export function get(url) {
  globalThis.k6Stub.requests.push(url);
  return globalThis.k6Stub.answer(url);
}
export default { get };
