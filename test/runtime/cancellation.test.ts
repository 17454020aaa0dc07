import { afterEach, describe, expect, it } from "vitest";
import { type Cancellation, cancelOnSignals } from "../../src/runtime/cancellation.js";

describe("cancelOnSignals", () => {
  let cancellation: Cancellation | undefined;
  afterEach(() => cancellation?.dispose());

  it.each<NodeJS.Signals>(["SIGINT", "SIGTERM"])("aborts on %s and says so once", (signal) => {
    const seen: NodeJS.Signals[] = [];
    cancellation = cancelOnSignals((received) => seen.push(received));
    expect(cancellation.signal.aborted).toBe(false);
    process.emit(signal, signal);
    process.emit("SIGTERM", "SIGTERM");
    expect(cancellation.signal.aborted).toBe(true);
    expect(seen).toEqual([signal]);
    expect(String(cancellation.signal.reason)).toContain(`cancelled (${signal})`);
  });

  it("dispose uninstalls the handlers", () => {
    const count = () => [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    const [interrupts = 0, terminations = 0] = count();
    cancellation = cancelOnSignals();
    expect(count()).toEqual([interrupts + 1, terminations + 1]);
    cancellation.dispose();
    expect(count()).toEqual([interrupts, terminations]);
  });
});
