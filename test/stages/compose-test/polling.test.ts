import { describe, expect, it } from "vitest";
import { pollUntil, sleep } from "../../../src/stages/compose-test/polling.js";

/** A look that counts its calls and reports the call number. */
function counter() {
  let calls = 0;
  return {
    look: async () => ++calls,
    get calls() {
      return calls;
    },
  };
}

describe("pollUntil", () => {
  const open = () => new AbortController().signal;

  it("stops at the first look that is done", async () => {
    const c = counter();
    const seen = await pollUntil(c.look, (n) => n === 3, {
      intervalMs: 1,
      remaining: () => 10_000,
      signal: open(),
    });
    expect(seen).toBe(3);
    expect(c.calls).toBe(3);
  });

  it("looks once even when the budget is already spent, and returns that look", async () => {
    const c = counter();
    const seen = await pollUntil(c.look, () => false, { intervalMs: 1, remaining: () => 0, signal: open() });
    expect(seen).toBe(1);
  });

  it("returns the last look when the budget runs out", async () => {
    const c = counter();
    // The budget is spent once the fourth look is done.
    const seen = await pollUntil(c.look, () => false, {
      intervalMs: 1,
      remaining: () => (c.calls < 4 ? 1_000 : 0),
      signal: open(),
    });
    expect(seen).toBe(4);
    expect(c.calls).toBe(4);
  });

  it("stops after the look during which the signal aborted", async () => {
    const controller = new AbortController();
    const c = counter();
    const seen = await pollUntil(
      async () => {
        const n = await c.look();
        if (n === 2) controller.abort();
        return n;
      },
      () => false,
      { intervalMs: 1, remaining: () => 10_000, signal: controller.signal },
    );
    expect(seen).toBe(2);
  });
});

describe("sleep", () => {
  it("resolves at once when the signal aborts", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await pending;
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
