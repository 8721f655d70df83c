import { describe, expect, it } from "vitest";
import { readReply } from "./keywords";

describe("readReply", () => {
  it("takes Twilio's OptOutType first: Twilio has confirmed that opt-out itself", () => {
    expect(readReply("please no more", "STOP")).toMatchObject({ keyword: "stop", optOutRule: "twilio:OptOutType=STOP", confirmedByTwilio: true });
    expect(readReply("STOP", "STOP")).toMatchObject({ keyword: "stop", optOutRule: "keyword:STOP", confirmedByTwilio: true });
    expect(readReply("Stop", "START")).toMatchObject({ keyword: "start" });
  });

  it("counts a bare Twilio keyword as confirmed by Twilio, and an opt-out in other words as ours to confirm", () => {
    expect(readReply(" stop ")).toMatchObject({ keyword: "stop", confirmedByTwilio: true });
    expect(readReply("Unsubscribe")).toMatchObject({ keyword: "stop", confirmedByTwilio: true });
    expect(readReply("STOP ALL")).toMatchObject({ keyword: "stop", optOutRule: "keyword:STOP ALL", confirmedByTwilio: false });
    expect(readReply("please stop texting me")).toMatchObject({ keyword: "stop", optOutRule: "phrase:stop_texting", confirmedByTwilio: false });
    expect(readReply("Stop.")).toMatchObject({ keyword: "stop", optOutRule: "keyword:STOP", confirmedByTwilio: false });
  });

  it("reads whole-word START and HELP before opt-outs", () => {
    expect(readReply("start")).toMatchObject({ keyword: "start", optOutRule: null });
    expect(readReply("Help!")).toMatchObject({ keyword: "help", optOutRule: null });
    expect(readReply("help me unsubscribe")).toMatchObject({ keyword: "stop", optOutRule: "keyword:UNSUBSCRIBE" });
  });

  it("flags an ambiguous reply as a possible opt-out and leaves a question alone", () => {
    expect(readReply("can you stop by the store?")).toEqual({ keyword: null, optOutRule: null, possibleOptOutRule: "in_sentence:STOP", confirmedByTwilio: false });
    expect(readReply("do you have this in blue?")).toEqual({ keyword: null, optOutRule: null, possibleOptOutRule: null, confirmedByTwilio: false });
  });
});
