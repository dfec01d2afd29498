/**
 * Where the children of each parent sit in a table generated grouped by that parent: the children of
 * parent p are rows [start(p), start(p) + count(p)), contiguous, in parent order, and count(p) is a pure
 * function of (seed, table, p). Only one running start per block of BLOCK parents is kept, so memory is
 * parents / 64 numbers, and any row's parent (or any parent's first row) is found by a binary search over
 * blocks and a walk of at most BLOCK counts; a LayoutCursor makes sequential access O(1).
 */
export class ChildLayout {
  static readonly BLOCK = 64;
  /** Rows in the child table: the sum of every parent's count. */
  readonly volume: number;
  /** blockStart[b] = first child row of parent b * BLOCK; blockStart[blocks] = volume. */
  private readonly blockStart: Float64Array;

  constructor(
    readonly parentVolume: number,
    /** Children of parent p: pure and cheap (called again on every walk). */
    readonly countOf: (parent: number) => number,
  ) {
    const blocks = Math.ceil(parentVolume / ChildLayout.BLOCK);
    this.blockStart = new Float64Array(blocks + 1);
    let start = 0;
    for (let p = 0; p < parentVolume; p++) {
      if (p % ChildLayout.BLOCK === 0) this.blockStart[p / ChildLayout.BLOCK] = start;
      start += countOf(p);
    }
    this.blockStart[blocks] = start;
    this.volume = start;
  }

  /** A cursor remembering its last position, for O(1) sequential lookups. */
  cursor(): LayoutCursor {
    return new LayoutCursor(this);
  }

  /** First child row of `parent`, walking from its block's start. */
  startOf(parent: number): number {
    const block = Math.floor(parent / ChildLayout.BLOCK);
    let start = this.blockStart[block] as number;
    for (let p = block * ChildLayout.BLOCK; p < parent; p++) start += this.countOf(p);
    return start;
  }

  /** The block holding child row `row`: the last block whose start is <= row. */
  blockOf(row: number): number {
    let lo = 0;
    let hi = this.blockStart.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.blockStart[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  blockStartOf(block: number): number {
    return this.blockStart[block] as number;
  }
}

/** Sequential-friendly lookups over a ChildLayout: remembers the last parent it found. */
export class LayoutCursor {
  /** The parent found last, its first child row and its count (-1: none yet). */
  parent = -1;
  start = 0;
  count = 0;

  constructor(private readonly layout: ChildLayout) {}

  private at(parent: number, start: number): void {
    this.parent = parent;
    this.start = start;
    this.count = this.layout.countOf(parent);
  }

  /** Moves to `parent`; O(1) for the same or the next parent, else O(BLOCK). */
  seekParent(parent: number): void {
    if (parent === this.parent) return;
    if (parent === this.parent + 1 && this.parent >= 0) this.at(parent, this.start + this.count);
    else this.at(parent, this.layout.startOf(parent));
  }

  /** Moves to the parent of child row `row` (0 <= row < volume) and returns it. */
  parentOfRow(row: number): number {
    if (this.parent >= 0 && row >= this.start) {
      // Sequential case: the same parent, or one a few steps on (parents with no children are skipped).
      for (let steps = 0; steps < ChildLayout.BLOCK; steps++) {
        if (row < this.start + this.count) return this.parent;
        if (this.parent + 1 >= this.layout.parentVolume) break;
        this.at(this.parent + 1, this.start + this.count);
      }
      if (row < this.start + this.count) return this.parent;
    }
    const block = this.layout.blockOf(row);
    this.at(block * ChildLayout.BLOCK, this.layout.blockStartOf(block));
    while (row >= this.start + this.count) this.at(this.parent + 1, this.start + this.count);
    return this.parent;
  }
}
