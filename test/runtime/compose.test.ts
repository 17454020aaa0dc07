import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AnsiStripper } from "../../src/runtime/compose.js";

describe("AnsiStripper", () => {
  it.each<[string[]]>([
    [["\u001b[2Ka\n", "\u001b[2Kb\n"]],
    [["\u001b", "[2Ka\n\u001b[", "2Kb\n"]],
    [["\u001b[2", "Ka\n\u001b[2K", "b\n"]],
  ])("streams %j with sequences cut across chunks", async (chunks) => {
    let out = "";
    for await (const piece of Readable.from(chunks).pipe(new AnsiStripper())) out += piece;
    expect(out).toBe("a\nb\n");
  });
});
