import { ConfigurationError } from "../../errors.js";
import { compareStrings } from "./config.js";

/** Shard `index` (1-based) of `total`, as written in a matrix: `2/3`. */
export interface Shard {
  index: number;
  total: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const total = match ? Number(match[2]) : Number.NaN;
  if (!match || total < 1 || index < 1 || index > total) {
    throw new ConfigurationError(
      `shard '${text}' is invalid: write INDEX/TOTAL with 1 <= INDEX <= TOTAL, e.g. '1/3' (in a matrix: shard: ['1/3', '2/3', '3/3'])`,
    );
  }
  return { index, total };
}

/**
 * The files shard `index` of `total` runs. Files are de-duplicated and sorted
 * by code unit (the same order on every runner, whatever the glob returned),
 * then dealt round-robin: every file lands in exactly one shard and shard
 * sizes differ by at most one. A shard may be empty when there are fewer
 * files than shards; the caller decides whether that is an error.
 */
export function selectShard(files: readonly string[], shard: Shard | string): string[] {
  const { index, total } = typeof shard === "string" ? parseShard(shard) : validShard(shard);
  const sorted = [...new Set(files)].sort(compareStrings);
  return sorted.filter((_, i) => i % total === index - 1);
}

function validShard(shard: Shard): Shard {
  return parseShard(`${shard.index}/${shard.total}`);
}
