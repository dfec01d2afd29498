/** The last `capacity` lines written to a stream (stdout and stderr interleaved). */
export class LineBuffer {
  private lines: string[] = [];
  private partial = '';

  constructor(readonly capacity = 200) {}

  /** Appends a chunk; complete lines enter the buffer, the rest waits for its newline. */
  write(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.push(line.replace(/\r$/, ''));
  }

  /** The buffered lines, oldest first (a trailing unterminated line included). */
  snapshot(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }
}
