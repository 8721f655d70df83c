import { describe, expect, it } from "vitest";
import { replyTwiml } from "./reply-twiml";

describe("replyTwiml", () => {
  it("texts the reply back, escaped for XML", () => {
    expect(replyTwiml("Snow & Co <help@snow.example>: reply STOP to opt out")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Snow &amp; Co &lt;help@snow.example&gt;: reply STOP to opt out</Message></Response>',
    );
  });

  it("answers an empty Response when there is nothing to say", () => {
    expect(replyTwiml(null)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});
