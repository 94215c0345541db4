// One conversation: transcript with per-turn analysis, the customer, and the agent's actions.
const conversationId = decodeURIComponent(location.pathname.split("/").pop());
const base = `/api/agent/conversations/${encodeURIComponent(conversationId)}`;
const $ = (id) => document.getElementById(id);
let view = null;
let version = 0;
const reviewNotes = new Map();  // "turn id/flag|sentiment" → what the agent just did, kept across re-renders

function analysisLine(analysis) {
  const parts = [`intent ${analysis.intent || "?"} (${analysis.confidence === null ? "?" : analysis.confidence.toFixed(2)})`];
  if (analysis.sentiment_label) {
    const score = analysis.sentiment_score === null ? "" : ` ${analysis.sentiment_score.toFixed(2)}`;
    parts.push(`sentiment ${analysis.sentiment_label}${score}${analysis.feeling ? ` (${analysis.feeling})` : ""}`);
  }
  if (analysis.sentiment_corrected) parts.push(`corrected to ${analysis.sentiment_corrected}`);
  if (analysis.trend !== null && analysis.trend !== undefined) parts.push(`trend ${analysis.trend.toFixed(2)}`);
  if (analysis.decision && analysis.decision.action !== "none") parts.push(`decision: ${analysis.decision.action}`);
  const line = staff.el("span", `analysis sentiment-${analysis.sentiment_label || "neutral"}`, parts.join(" · "));
  return line;
}

async function reviewTurn(turnId, path, body, done) {
  try {
    await staff.api("POST", `/api/training/turns/${turnId}/${path}`, body);
    reviewNotes.set(`${turnId}/${path}`, done);
    $("error").textContent = "";
    await load();
  } catch (problem) {
    $("error").textContent = problem.message;
  }
}

function sentimentSelect(analysis) {
  const select = staff.el("select");
  select.setAttribute("aria-label", "Correct the sentiment of this turn");
  for (const [value, text] of [["", "correct sentiment…"], ["negative", "negative"], ["neutral", "neutral"], ["positive", "positive"]]) {
    const option = staff.el("option", "", text);
    option.value = value;
    select.append(option);
  }
  select.value = analysis.sentiment_corrected || "";
  select.addEventListener("change", () => {
    if (select.value) reviewTurn(analysis.turn_id, "sentiment", { label: select.value }, `Sentiment corrected to ${select.value}.`);
  });
  return select;
}

function reviewControls(analysis) {
  const box = staff.el("span", "turn-review");
  const flag = staff.el("button", "", "Flag for NLU review");
  flag.type = "button";
  flag.addEventListener("click", () => reviewTurn(analysis.turn_id, "flag", undefined, "Flagged: it is in the trainers' inbox."));
  box.append(flag, sentimentSelect(analysis));
  const flagged = reviewNotes.get(`${analysis.turn_id}/flag`) || (analysis.nlu_review === "pending" ? "In the trainers' NLU inbox." : "");
  for (const note of [flagged, reviewNotes.get(`${analysis.turn_id}/sentiment`)]) {
    if (note) box.append(staff.el("span", "done", note));
  }
  return box;
}

function transcriptItem(entry) {
  const item = staff.el("li", entry.kind === "note" ? "note" : entry.sender);
  const who = entry.kind === "note" ? `note by ${entry.author}` : (entry.sender === "agent" ? `agent ${entry.agent || ""}` : entry.sender);
  item.append(staff.el("span", "who-line", `${who} · ${staff.when(entry.created_at)}`), staff.el("span", "text", entry.text));
  if (entry.analysis) item.append(analysisLine(entry.analysis));
  if (entry.analysis && entry.analysis.turn_id) item.append(reviewControls(entry.analysis));
  return item;
}

function renderTranscript() {
  const notes = view.notes.map((note) => ({ ...note, kind: "note" }));
  const entries = [...view.transcript, ...notes].sort((a, b) => new Date(a.created_at) - new Date(b.created_at));
  const list = $("transcript");
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren(...entries.map(transcriptItem));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderWhy() {
  const why = $("why");
  const conversation = view.conversation;
  why.replaceChildren();
  if (conversation.priority) why.append(staff.el("p", "", `Priority: ${conversation.priority}`));
  conversation.reasons.forEach((reason) => why.append(staff.el("span", "reason", reason)));
  const decisions = view.transcript.filter((e) => e.analysis && e.analysis.decision && e.analysis.decision.action !== "none");
  for (const entry of decisions.slice(-3)) why.append(staff.el("p", "hint", entry.analysis.decision.explanation));
  if (!why.childNodes.length) why.append(staff.el("p", "hint", "No flags: the conversation was opened from the queue or a link."));
}

function fact(list, label, value) {
  list.append(staff.el("dt", "", label), staff.el("dd", "", value));
}

function renderCustomer() {
  const panel = $("customer");
  const customer = view.customer;
  panel.replaceChildren();
  if (!customer) { panel.append(staff.el("p", "hint", "An anonymous visitor (no signed-in customer).")); return; }
  const facts = staff.el("dl", "facts");
  fact(facts, "Name", `${customer.name} (${customer.customer_id})`);
  fact(facts, "E-mail", customer.email || "–");
  fact(facts, "Churn risk", customer.churn_probability === null ? "–" : `${Math.round(customer.churn_probability * 100)} %`);
  fact(facts, "Value, next 12 months", customer.predicted_value_12m === null ? "–" : customer.predicted_value_12m.toFixed(0));
  fact(facts, "Tier", customer.tier || "–");
  fact(facts, "Segment", customer.segment || "–");
  fact(facts, "Orders", customer.orders_total);
  panel.append(facts, staff.el("h3", "", "Recent orders"));
  const orders = staff.el("ul");
  customer.recent_orders.forEach((o) => orders.append(staff.el("li", "", `${o.order_number} · ${staff.when(o.placed_at)} · ${o.status} · ${o.total.toFixed(2)} ${o.currency}`)));
  panel.append(orders, staff.el("h3", "", "Past conversations"));
  const past = staff.el("ul");
  for (const c of customer.past_conversations) {
    const item = staff.el("li");
    const link = staff.el("a", "", `${staff.when(c.created_at)} · ${c.status}${c.outcome ? ` (${c.outcome})` : ""}`);
    link.href = `/agent/conversations/${encodeURIComponent(c.conversation_id)}`;
    item.append(link);
    past.append(item);
  }
  panel.append(past, staff.el("h3", "", "Offers"));
  const offers = staff.el("ul");
  customer.offers.forEach((o) => offers.append(staff.el("li", "", `${o.offer_id} · ${o.status} · ${staff.when(o.offered_at)}${o.code ? ` · ${o.code}` : ""}`)));
  panel.append(offers);
}

function renderState() {
  const conversation = view.conversation;
  const mine = conversation.status === "agent" && conversation.agent === staff.me.username;
  const owner = conversation.status === "agent" ? `owned by ${conversation.agent}` : conversation.status.replaceAll("_", " ");
  $("title").textContent = view.customer ? `Conversation with ${view.customer.name}` : "Conversation with an anonymous visitor";
  const rating = view.rating ? ` · rated ${view.rating.score}/5${view.rating.comment ? `: “${view.rating.comment}”` : ""}` : "";
  $("state").textContent = `Status: ${owner}${conversation.outcome ? ` · outcome ${conversation.outcome}` : ""}${rating}`;
  $("claim").disabled = mine || conversation.status === "resolved";
  $("release").disabled = !mine;
  $("send").disabled = !mine;
  $("resolve").disabled = conversation.status === "resolved";
}

async function load() {
  try {
    view = await staff.api("GET", base);
    renderTranscript(); renderWhy(); renderCustomer(); renderState();
    $("chart").src = `${base}/sentiment.svg?v=${++version}`;
    $("error").textContent = "";
  } catch (problem) {
    $("error").textContent = problem.message;
  }
}

async function act(method, path, body) {
  try {
    await staff.api(method, `${base}${path}`, body);
    $("error").textContent = "";
    await load();
    return true;
  } catch (problem) {
    $("error").textContent = problem.message;
    return false;
  }
}

function listenLive() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/api/agent/conversations/${encodeURIComponent(conversationId)}/live`);
  let pending = null;
  socket.addEventListener("message", () => { clearTimeout(pending); pending = setTimeout(load, 200); });
  socket.addEventListener("close", () => setTimeout(listenLive, 3000));
}

async function loadCanned() {
  const body = await staff.api("GET", "/api/agent/canned-replies");
  for (const canned of body.replies) {
    const option = staff.el("option", "", canned.title);
    option.value = canned.text;
    $("canned").append(option);
  }
}

staff.start("/agent").then(async () => {
  $("claim").addEventListener("click", () => act("POST", "/take", {}));
  $("release").addEventListener("click", () => act("POST", "/release"));
  $("resolve").addEventListener("click", () => act("POST", "/resolve", { outcome: $("outcome").value }));
  $("canned").addEventListener("change", () => { if ($("canned").value) $("reply").value = $("canned").value; });
  $("send").addEventListener("click", async () => {
    if ($("reply").value.trim() && await act("POST", "/messages", { text: $("reply").value })) $("reply").value = "";
  });
  $("add-note").addEventListener("click", async () => {
    if ($("note").value.trim() && await act("POST", "/notes", { text: $("note").value })) $("note").value = "";
  });
  await Promise.all([load(), loadCanned()]);
  listenLive();
  setInterval(load, 10000);
});
