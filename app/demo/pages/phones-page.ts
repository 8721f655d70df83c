/**
 * /demo/phones: the simulated shoppers' phones, side by side, each with its texts as chat
 * bubbles. Plain HTML, CSS and a little script that polls /demo/phones.json every second.
 * Links in texts open in a new tab: the real tracked link, then the stand-in storefront.
 */
export function phonesPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Phones · Nudge demo</title>
<style>${CSS}</style></head>
<body>
<header>
  <div><h1>Shoppers' phones</h1><p>Texts the demo store's shoppers receive, live. Tap a link to follow it; reply STOP to opt out.</p></div>
  <div class="stats"><span id="phone-count">0 phones</span><span id="text-count">0 texts</span><a href="/demo" target="_blank" rel="noopener">Open the admin ↗</a></div>
</header>
<p id="empty" class="empty">Waiting for the first text…</p>
<main id="phones"></main>
<script>${SCRIPT}</script>
</body></html>`;
}

const CSS = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: #eef0f3; color: #1c1e21; }
  header { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; flex-wrap: wrap; padding: 20px 24px 8px; }
  h1 { margin: 0; font-size: 22px; }
  header p { margin: 4px 0 0; color: #5c6166; }
  .stats { display: flex; gap: 16px; align-items: center; color: #5c6166; }
  .stats a { color: #005bd3; text-decoration: none; font-weight: 600; }
  .empty { padding: 0 24px; color: #5c6166; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 20px; padding: 16px 24px 40px; }
  .phone { background: #fff; border: 1px solid #d8dbdf; border-radius: 28px; padding: 10px; box-shadow: 0 2px 6px rgba(0,0,0,.06); display: flex; flex-direction: column; }
  .phone-top { text-align: center; padding: 6px 8px 8px; border-bottom: 1px solid #eceef0; }
  .phone-top strong { display: block; font-size: 15px; }
  .phone-top span { color: #6d7175; font-size: 12px; }
  .tag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; background: #fde7e9; color: #8e1f0b; font-size: 11px; font-weight: 600; }
  .thread { height: 300px; overflow-y: auto; padding: 10px 6px; display: flex; flex-direction: column; gap: 6px; }
  .bubble { max-width: 85%; padding: 8px 11px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
  .bubble.in { align-self: flex-start; background: #e9e9eb; border-bottom-left-radius: 4px; }
  .bubble.out { align-self: flex-end; background: #0b84ff; color: #fff; border-bottom-right-radius: 4px; }
  .bubble a { color: inherit; text-decoration: underline; }
  .bubble.in a { color: #005bd3; }
  .time { font-size: 10.5px; color: #8c9196; margin: 2px 4px 4px; }
  .time.in { align-self: flex-start; } .time.out { align-self: flex-end; }
  form { display: flex; gap: 6px; padding: 8px 4px 4px; border-top: 1px solid #eceef0; }
  input { flex: 1; min-width: 0; border: 1px solid #d8dbdf; border-radius: 16px; padding: 7px 12px; font: inherit; }
  button { border: 0; border-radius: 16px; padding: 7px 12px; font: inherit; font-weight: 600; cursor: pointer; background: #0b84ff; color: #fff; }
  button.stop { background: #f1f2f4; color: #8e1f0b; }
`;

// Runs in the browser. Texts are escaped before links are made clickable.
const SCRIPT = `
(() => {
  const cards = new Map();
  const list = document.getElementById("phones");
  const escape = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const linkify = (s) => escape(s).replace(/https?:\\/\\/[^\\s<>"']+/g, (url) => '<a href="' + url + '" target="_blank" rel="noopener">' + url + "</a>");
  const when = (iso) => new Date(iso).toLocaleString("en-US", { timeZone: "America/New_York", weekday: "short", hour: "numeric", minute: "2-digit" });
  const pretty = (n) => n.replace(/^\\+1(\\d{3})(\\d{3})(\\d{4})$/, "+1 ($1) $2-$3");

  function card(phone) {
    const el = document.createElement("section");
    el.className = "phone";
    el.dataset.phone = phone.number;
    el.innerHTML = '<div class="phone-top"><strong></strong><span></span></div><div class="thread"></div>' +
      '<form><input name="body" placeholder="Text message" autocomplete="off" maxlength="320"><button type="submit">Send</button><button type="button" class="stop">STOP</button></form>';
    const form = el.querySelector("form");
    const send = async (body) => {
      const data = new URLSearchParams({ from: phone.number, body });
      await fetch("/demo/phones", { method: "POST", body: data });
      form.body.value = "";
      refresh();
    };
    form.addEventListener("submit", (e) => { e.preventDefault(); if (form.body.value.trim()) send(form.body.value.trim()); });
    el.querySelector(".stop").addEventListener("click", () => send("STOP"));
    return { el, count: -1 };
  }

  function render(entry, phone) {
    entry.el.querySelector("strong").textContent = phone.name || pretty(phone.number);
    entry.el.querySelector(".phone-top span").innerHTML = escape(pretty(phone.number)) + (phone.optedOut ? '<span class="tag">opted out</span>' : "");
    if (entry.count === phone.messages.length) return;
    entry.count = phone.messages.length;
    const thread = entry.el.querySelector(".thread");
    thread.innerHTML = phone.messages.map((m) =>
      '<div class="bubble ' + m.direction + '" data-testid="bubble">' + linkify(m.body) + "</div>" +
      '<div class="time ' + m.direction + '">' + when(m.at) + (m.direction === "out" ? "" : " · " + m.status) + "</div>").join("");
    thread.scrollTop = thread.scrollHeight;
  }

  async function refresh() {
    try {
      const data = await (await fetch("/demo/phones.json", { cache: "no-store" })).json();
      document.getElementById("empty").textContent = data.available ? "Waiting for the first text…" : "The built-in phone simulator isn't running (TWILIO_API_BASE_URL points elsewhere).";
      document.getElementById("empty").hidden = data.phones.length > 0;
      let texts = 0;
      for (const phone of [...data.phones].reverse()) {
        texts += phone.messages.length;
        let entry = cards.get(phone.number);
        if (!entry) { entry = card(phone); cards.set(phone.number, entry); list.prepend(entry.el); }
        render(entry, phone);
      }
      document.getElementById("phone-count").textContent = data.phones.length + (data.phones.length === 1 ? " phone" : " phones");
      document.getElementById("text-count").textContent = texts + (texts === 1 ? " text" : " texts");
    } catch (error) {
      console.warn("phones: refresh failed", error);
    }
  }
  refresh();
  setInterval(refresh, 1000);
})();
`;
