/** Helpers for libSQL native vectors (F32_BLOB columns, vector32(), vector_top_k). */

/** The text form `vector32('[...]')` accepts. */
export function floatsToVectorLiteral(values: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`vector component ${i} is not finite`);
    parts.push(String(v));
  }
  return `[${parts.join(',')}]`;
}

/** Raw little-endian float32 bytes, which an F32_BLOB column stores as-is. */
export function vectorBlob(values: ArrayLike<number>): Uint8Array {
  const floats = Float32Array.from(values as ArrayLike<number>);
  return new Uint8Array(floats.buffer);
}
