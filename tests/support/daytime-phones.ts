/**
 * `count` numbers in a zone whose local time is 9:00–19:00 at `at`, so quiet hours (8am–9pm,
 * or 8pm in FL, OK and MD) don't hold back the texts a browser test waits for.
 */
export function daytimePhones(at: Date, count = 5): string[] {
  const candidates = [
    ["+1212555014", "America/New_York"],
    ["+44791112345", "Europe/London"],
    ["+6141234567", "Australia/Sydney"],
    ["+81901234567", "Asia/Tokyo"],
    ["+1808555014", "Pacific/Honolulu"],
    ["+1415555014", "America/Los_Angeles"],
  ];
  for (const [prefix, zone] of candidates) {
    const hour = Number(new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(at));
    if (hour >= 9 && hour < 19) return count <= 9 ? Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`) : manyNumbers(prefix!, count);
  }
  throw new Error("no candidate zone is in daytime");
}

/**
 * Up to 90 numbers of the same zone, two digits after the prefix's last-but-one: the prefix's
 * own last digit is skipped as a first digit, so none equals a number of the short list.
 */
function manyNumbers(prefix: string, count: number): string[] {
  const stem = prefix.slice(0, -1);
  const numbers = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"))
    .filter((nn) => nn[0] !== prefix.at(-1))
    .map((nn) => `${stem}${nn}`);
  if (count > numbers.length) throw new RangeError(`at most ${numbers.length} daytime numbers`);
  return numbers.slice(0, count);
}
