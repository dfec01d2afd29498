/** Where the CLI writes: stdout for results (and only JSON under --json), stderr for people. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Output bound to a process's streams. */
export function createOutput(proc: NodeJS.Process): Output {
  return { stdout: (t) => void proc.stdout.write(t), stderr: (t) => void proc.stderr.write(t) };
}

/** Output captured in memory (tests). */
export function captureOutput(): Output & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout(t: string) {
      captured.out += t;
    },
    stderr(t: string) {
      captured.err += t;
    },
  };
  return captured;
}
