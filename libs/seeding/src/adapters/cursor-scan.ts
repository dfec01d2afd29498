let cursors = 0;

/** Streams a SELECT through a server-side cursor (inside the caller's transaction), one FETCH per batch. */
export async function* cursorScan(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
  sql: string,
  batchSize: number,
): AsyncGenerator<unknown[][]> {
  const cursor = `shipgate_scan_${++cursors}`;
  await query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
  try {
    for (;;) {
      const rows = await query(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM ${cursor}`);
      if (rows.length === 0) return;
      yield rows.map((row) => Object.values(row));
    }
  } finally {
    await query(`CLOSE ${cursor}`).catch(() => {});
  }
}
