import { describe, expect, it } from "vitest";
import { openArtifactStore, type StageOutcome, settleCancelled } from "../../src/stages/stage-contract.js";

const ok: StageOutcome = { status: "ok", failure: undefined };
const failed: StageOutcome = { status: "failure", failure: "test: 1 failed" };
const cancelled: StageOutcome = { status: "cancelled", failure: "cancelled: stopped" };

describe("settleCancelled", () => {
  const aborted = () => {
    const controller = new AbortController();
    controller.abort();
    return controller.signal;
  };

  it.each<[string, AbortSignal | undefined, () => Promise<StageOutcome>, StageOutcome]>([
    ["an ok outcome without a signal", undefined, async () => ok, ok],
    ["a failure while not cancelled", new AbortController().signal, async () => failed, failed],
    ["a failure once cancelled: the cancellation's doing", aborted(), async () => failed, cancelled],
    [
      "an error once cancelled: the aborted command's",
      aborted(),
      () => Promise.reject(new Error("killed")),
      cancelled,
    ],
    // Work that finished before the signal took effect stands.
    ["an ok outcome although cancelled", aborted(), async () => ok, ok],
  ])("settles %s", async (_name, signal, work, expected) => {
    expect(await settleCancelled(signal, work, () => cancelled)).toEqual(expected);
  });

  it("passes on an error while not cancelled", async () => {
    await expect(
      settleCancelled(
        new AbortController().signal,
        () => Promise.reject(new Error("daemon gone")),
        () => cancelled,
      ),
    ).rejects.toThrow("daemon gone");
  });
});

describe("openArtifactStore", () => {
  it("refuses where the run hands no artifacts on, saying what to unset", async () => {
    await expect(openArtifactStore({})).rejects.toThrow(
      /hands no artifacts between jobs; unset the artifact inputs/,
    );
  });
});
