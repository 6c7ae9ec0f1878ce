// Parquet files whose footer statistics lie, for tests of what Ferry trusts. DuckDB writes honest
// statistics, so a test writes a file with DuckDB and then overwrites statistics bytes in the footer.
//
// How the bytes are found: a Parquet file ends with `<FileMetaData> <4-byte LE length> PAR1`, and
// FileMetaData is a Thrift struct in the compact protocol. `footerStatistics` walks it
// (FileMetaData.row_groups (4) → RowGroup.columns (1) → ColumnChunk.meta_data (3) →
// ColumnMetaData.path_in_schema (3) and .statistics (12)) and records, per column chunk, the file
// offset and length of each Statistics field: max (1), min (2), null_count (3), max_value (5),
// min_value (6). `forgeFooter` writes replacement bytes of the same length in place, so no other
// offset in the file moves and readers accept it.
import { readFile, writeFile } from 'node:fs/promises';
import { literal, type DuckDb } from '../../core/data/duckdb.js';

/** Where one Statistics field's payload sits in the file. */
interface Span {
  offset: number;
  length: number;
}

/** One column chunk's statistics fields, by name. */
export interface ChunkStatistics {
  column: string;
  rowGroup: number;
  min?: Span;
  max?: Span;
  minValue?: Span;
  maxValue?: Span;
  nullCount?: Span;
}

/** A reader of the Thrift compact protocol that remembers where each value was. */
class Compact {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
  ) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  binary(): Span {
    const length = Number(this.varint());
    const span = { offset: this.pos, length };
    this.pos += length;
    return span;
  }

  /** Reads a struct, calling `field` for each field; unhandled fields are skipped. */
  struct(field: (id: number, type: number) => boolean): void {
    let last = 0;
    for (;;) {
      const header = this.buf[this.pos++]!;
      if (header === 0) return;
      const delta = header >> 4;
      const type = header & 0x0f;
      const id = delta === 0 ? zigzag(this.varint()) : last + delta;
      last = id;
      if (!field(id, type)) this.skip(type);
    }
  }

  /** Reads a list header, then calls `item` once per element. */
  list(item: (index: number, type: number) => void): void {
    const header = this.buf[this.pos++]!;
    const type = header & 0x0f;
    const size = header >> 4 === 0x0f ? Number(this.varint()) : header >> 4;
    for (let i = 0; i < size; i++) item(i, type);
  }

  skip(type: number): void {
    switch (type) {
      case 1: // boolean true
      case 2: // boolean false (a struct field's value is in its header)
        return;
      case 3: // byte
        this.pos++;
        return;
      case 4: // i16
      case 5: // i32
      case 6: // i64
        this.varint();
        return;
      case 7: // double
        this.pos += 8;
        return;
      case 8: // binary
        this.binary();
        return;
      case 9: // list
      case 10: // set
        this.list((_, t) => this.skipElement(t));
        return;
      case 11: {
        // map
        const size = Number(this.varint());
        if (size === 0) return;
        const types = this.buf[this.pos++]!;
        for (let i = 0; i < size; i++) {
          this.skipElement(types >> 4);
          this.skipElement(types & 0x0f);
        }
        return;
      }
      case 12: // struct
        this.struct(() => false);
        return;
      default:
        throw new Error(`unknown Thrift compact type ${type} at byte ${this.pos}`);
    }
  }

  /** Elements of lists and maps encode a boolean as one byte, unlike struct fields. */
  private skipElement(type: number): void {
    if (type === 1 || type === 2) this.pos++;
    else this.skip(type);
  }

  text(span: Span): string {
    return this.buf.subarray(span.offset, span.offset + span.length).toString('utf8');
  }
}

function zigzag(n: bigint): number {
  return Number((n >> 1n) ^ -(n & 1n));
}

/** Every column chunk's statistics fields in a Parquet file's footer, with their file offsets. */
export function footerStatistics(file: Buffer): ChunkStatistics[] {
  if (file.subarray(-4).toString('latin1') !== 'PAR1') throw new Error('not a Parquet file');
  const footerLength = file.readUInt32LE(file.length - 8);
  const r = new Compact(file, file.length - 8 - footerLength);
  const chunks: ChunkStatistics[] = [];
  r.struct((id, type) => {
    if (id !== 4 || type !== 9) return false;
    r.list((rowGroup) =>
      r.struct((rgField, rgType) => {
        if (rgField !== 1 || rgType !== 9) return false;
        r.list(() =>
          r.struct((ccField) => {
            if (ccField !== 3) return false;
            const chunk: ChunkStatistics = { column: '', rowGroup };
            r.struct((mdField) => {
              if (mdField === 3) {
                const parts: string[] = [];
                r.list(() => parts.push(r.text(r.binary())));
                chunk.column = parts.join('.');
                return true;
              }
              if (mdField !== 12) return false;
              r.struct((statsField) => {
                const at = r.pos;
                switch (statsField) {
                  case 1:
                    chunk.max = r.binary();
                    return true;
                  case 2:
                    chunk.min = r.binary();
                    return true;
                  case 3:
                    r.varint();
                    chunk.nullCount = { offset: at, length: r.pos - at };
                    return true;
                  case 5:
                    chunk.maxValue = r.binary();
                    return true;
                  case 6:
                    chunk.minValue = r.binary();
                    return true;
                  default:
                    return false;
                }
              });
              return true;
            });
            chunks.push(chunk);
            return true;
          }),
        );
        return true;
      }),
    );
    return true;
  });
  return chunks;
}

/** The lies to tell about one column, in every row group: a min, a max and a null count. */
export interface FooterLie {
  column: string;
  /** For INTEGER columns: written as 4-byte little-endian over min/min_value. */
  min?: number;
  max?: number;
  /** Written as a one-byte varint; the true count must also fit in one byte (under 64 nulls). */
  nullCount?: number;
}

/** Rewrites a DuckDB-written Parquet file in place so its footer tells the given lies. */
export async function forgeFooter(path: string, lies: readonly FooterLie[]): Promise<void> {
  const file = await readFile(path);
  const chunks = footerStatistics(file);
  for (const lie of lies) {
    const mine = chunks.filter((c) => c.column === lie.column);
    if (mine.length === 0) throw new Error(`no column chunk "${lie.column}" in ${path}`);
    for (const chunk of mine) {
      const int32 = (span: Span | undefined, value: number | undefined) => {
        if (value === undefined || span === undefined) return;
        if (span.length !== 4) throw new Error(`"${lie.column}" statistics are not 4 bytes (not INTEGER)`);
        file.writeInt32LE(value, span.offset);
      };
      int32(chunk.min, lie.min);
      int32(chunk.minValue, lie.min);
      int32(chunk.max, lie.max);
      int32(chunk.maxValue, lie.max);
      if (lie.nullCount !== undefined) {
        if (chunk.nullCount?.length !== 1 || lie.nullCount > 63)
          throw new Error(`"${lie.column}" null count does not fit in one byte`);
        file[chunk.nullCount.offset] = lie.nullCount * 2; // zigzag encoding of a small non-negative i64
      }
    }
  }
  await writeFile(path, file);
}

/** What `writeLyingParquet`'s file holds, which its footer denies. */
export const lyingParquetTruth = {
  rows: 2000,
  /** `age` values above 100 (all 150); the footer says max 77. */
  agesAbove100: 40,
  /** NULL `income` values; the footer says none. */
  incomeNulls: 50,
} as const;

/**
 * Writes a churn-like Parquet file (id, age INTEGER, income DOUBLE, plan VARCHAR, churn INTEGER, one
 * row group, no duplicate rows) whose footer claims age lies in [18, 77] and income has no nulls, while 40 ages are 150 and
 * 50 incomes are NULL (`lyingParquetTruth`). Its `created_by` is DuckDB's, as a forger would make it.
 */
export async function writeLyingParquet(db: DuckDb, path: string): Promise<void> {
  await db.run(
    `COPY (SELECT i::INTEGER AS id, CASE WHEN i % 50 = 0 THEN 150 ELSE 18 + (i * 7) % 60 END::INTEGER AS age,
       CASE WHEN i % 40 = 1 THEN NULL ELSE 20000 + i * 10.5 END::DOUBLE AS income,
       ['basic', 'pro', 'team'][1 + i % 3] AS plan, (i % 4 = 0)::INTEGER AS churn
     FROM range(${lyingParquetTruth.rows}) t(i)) TO ${literal(path)} (FORMAT parquet)`,
  );
  await forgeFooter(path, [
    { column: 'age', min: 18, max: 77 },
    { column: 'income', nullCount: 0 },
  ]);
}
