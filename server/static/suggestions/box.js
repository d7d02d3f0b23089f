// The suggestion box page. A message is put in a queue on the phone first (localStorage),
// then sent; with no connection it waits there and is sent when the connection comes back
// (on "online", when the page is shown again, and every 30 s while it is open). The UUID made
// here lets the server store a message sent twice only once. Success is our JSON with a
// receipt, nothing less (a café's Wi-Fi login page also answers 200).

const QUEUE_KEY = "lang-nghe.suggestions.queue";
const RECEIPTS_KEY = "lang-nghe.suggestions.receipts";
const RETRY_MS = 30000;

const form = document.getElementById("suggestion-form");
const statusBox = document.getElementById("sb-status");
const receiptsBox = document.getElementById("sb-receipts");
const receiptList = document.getElementById("sb-receipt-list");
const words = form.dataset;
let flushing = false;
let again = false;           // asked to flush while flushing: go round once more

function uuid4() {
  // crypto.randomUUID needs a secure context; a commune's intranet may be plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function load(key) {
  try {
    const items = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function save(key, items) {
  localStorage.setItem(key, JSON.stringify(items));
}

function show(parts, kind) {
  statusBox.replaceChildren();
  const box = document.createElement("div");
  box.className = `notice ${kind}`;
  for (const part of parts) {
    const p = document.createElement("p");
    if (part.receipt) {
      p.className = "receipt";
      p.textContent = part.receipt;
    } else {
      p.textContent = part;
    }
    box.append(p);
  }
  statusBox.append(box);
}

function followLink(receipt) {
  return `${words.followUrl}/${encodeURIComponent(receipt.replace(/-/g, ""))}?lang=${words.lang}`;
}

function renderReceipts() {
  const receipts = load(RECEIPTS_KEY);
  receiptList.replaceChildren();
  for (const item of receipts.slice(-10).reverse()) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = followLink(item.receipt);
    link.textContent = `${item.receipt} · ${words.wFollow}`;
    li.append(link);
    receiptList.append(li);
  }
  receiptsBox.hidden = receipts.length === 0;
}

function errorText(body) {
  const error = body && body.error;
  if (!error) return words.wNetwork;
  const english = error.details && error.details.message_en;
  return words.lang === "vi" || !english ? error.message : english;
}

// One attempt: "sent" (with the receipt), "wait" (keep it: offline, busy, a login page),
// or "refused" (the server said why; keeping it would only fail again).
async function sendOne(item) {
  let response;
  try {
    response = await fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(item.body),
    });
  } catch {
    return { outcome: "wait" };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    return { outcome: "wait" };
  }
  if (response.ok && body && typeof body.receipt === "string") {
    return { outcome: "sent", receipt: body.receipt };
  }
  if (response.status === 429 || response.status >= 500 || !(body && body.error)) {
    return { outcome: "wait" };
  }
  return { outcome: "refused", message: errorText(body) };
}

async function flush() {
  if (flushing) {
    again = true;
    return [];
  }
  flushing = true;
  const results = [];
  try {
    for (const item of load(QUEUE_KEY)) {
      const result = await sendOne(item);
      results.push({ id: item.body.client_uuid, ...result });
      if (result.outcome === "wait") break;          // the rest would wait too
      save(QUEUE_KEY, load(QUEUE_KEY).filter((q) => q.body.client_uuid !== item.body.client_uuid));
      if (result.outcome === "sent") {
        const receipts = load(RECEIPTS_KEY);
        receipts.push({ receipt: result.receipt, at: new Date().toISOString() });
        save(RECEIPTS_KEY, receipts.slice(-50));
      }
    }
  } finally {
    flushing = false;
  }
  renderReceipts();
  reportQueue(results);
  if (again) {
    again = false;
    return flush();
  }
  return results;
}

function reportQueue(results) {
  const sent = results.filter((r) => r.outcome === "sent");
  const refused = results.filter((r) => r.outcome === "refused");
  const waiting = load(QUEUE_KEY).length;
  if (refused.length) {
    show([words.wFailed, ...refused.map((r) => r.message)], "error");
  } else if (sent.length) {
    show([words.wSent, { receipt: sent[sent.length - 1].receipt }, words.wKeep], "ok");
  } else if (waiting) {
    show([words.wQueued, `${words.wWaiting} ${waiting}`], "info");
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const message = String(data.get("message") || "").trim();
  if (!message) {
    form.elements.message.focus();
    return;
  }
  const rating = data.get("rating");
  const item = {
    url: words.submitUrl,
    body: {
      client_uuid: uuid4(),
      message,
      topic: data.get("topic") || null,
      rating: rating ? Number(rating) : null,
      contact: String(data.get("contact") || "").trim() || null,
      website: String(data.get("website") || ""),
    },
  };
  const queue = load(QUEUE_KEY);
  queue.push(item);
  save(QUEUE_KEY, queue);             // saved before anything is sent: never lost
  form.reset();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  show([words.wSending], "info");
  try {
    await flush();
  } finally {
    button.disabled = false;
  }
});

window.addEventListener("online", flush);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") flush();
});
setInterval(() => {
  if (load(QUEUE_KEY).length) flush();
}, RETRY_MS);
renderReceipts();
flush();
