// The SSH wire encoding (RFC 4251 §5): uint32 big-endian, and `string` = uint32 length + bytes.
// SSHSIG, SSH signature blobs and the agent protocol are all built from these two.

/** Builds an SSH wire message. */
export class SshWriter {
  private readonly parts: Buffer[] = [];

  u8(value: number): this {
    this.parts.push(Buffer.from([value]));
    return this;
  }

  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value);
    this.parts.push(b);
    return this;
  }

  /** Raw bytes, without a length. */
  raw(bytes: Uint8Array | string): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  /** A length-prefixed `string`. */
  string(bytes: Uint8Array | string): this {
    const b = Buffer.from(bytes);
    return this.u32(b.length).raw(b);
  }

  /** A positive `mpint`: minimal big-endian, with a zero byte when the top bit is set. */
  mpint(bytes: Uint8Array): this {
    let b = Buffer.from(bytes);
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.subarray(i);
    if (b.length && b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return this.string(b);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads an SSH wire message; every read throws RangeError past the end (callers turn it into a value). */
export class SshReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  u8(): number {
    this.need(1);
    return this.buffer[this.offset++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  raw(length: number): Buffer {
    this.need(length);
    const b = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return b;
  }

  string(): Buffer {
    return this.raw(this.u32());
  }

  text(): string {
    return this.string().toString('utf8');
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private need(length: number): void {
    if (this.offset + length > this.buffer.length) throw new RangeError('SSH message ends early');
  }
}
