// The dispatch benchmark's reference: the fake Twilio's own ceiling, driven directly by the
// app's Twilio adapter (the real `twilio` client) with the dispatcher's concurrency and no
// database. Usage: drive-twilio.ts <baseUrl> <count> <concurrency> <offset>
import { twilioGateway } from "../../app/adapters/twilio.server";
import { BENCH_ACCOUNT_SID, BENCH_SERVICE_SID } from "./child-process";

async function main() {
  const [baseUrl, count, concurrency, offset] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 0)];
  const gateway = twilioGateway({ accountSid: BENCH_ACCOUNT_SID, authToken: "bench-twilio-auth-token-0123456789", messagingServiceSid: BENCH_SERVICE_SID, baseUrl });
  let next = 0;
  let failed = 0;
  const body = "Bench Shop: you left Merino crew socks (M / Oat) ×2 in your cart. Finish here: https://nudge.bench.example/r/abcdefgh Reply STOP to opt out";
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = offset + next++;
        const result = await gateway.send({ to: `+1613${3000000 + n}`, body: `${body} ${n}`, statusCallback: "https://nudge.bench.example/twilio/status" });
        if (!result.ok) failed++;
      }
    }),
  );
  console.log(JSON.stringify({ sent: count - failed, failed }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
