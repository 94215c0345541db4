// The NLU inbox: review what the assistant was unsure about, one by one or in bulk, mostly from the keyboard.
const $ = (id) => document.getElementById(id);
const rows = $("rows");
const intentInput = $("intent");
const DONE = { confirm: "confirmed", relabel: "relabelled", dismiss: "dismissed" };
const knownIntents = new Set();
let items = [];
let selected = new Set();
let focus = 0;

function score(confidence) {
  return confidence === null || confidence === undefined ? "?" : confidence.toFixed(2);
}

function guesses(item) {
  const others = item.guesses.filter((guess) => guess.name !== item.predicted_intent);
  return others.map((guess) => `${guess.name} ${score(guess.confidence)}`).join(", ") || "–";
}

function reasonCell(item) {
  const cell = staff.el("td");
  cell.append(staff.el("span", "reason", item.reason.replace("_", " ")));
  if (item.flagged_by) cell.append(staff.el("span", "hint", `by ${item.flagged_by}`));
  if (item.status !== "pending") {
    cell.append(staff.el("div", "hint", `${item.status}${item.intent ? ` as ${item.intent}` : ""} by ${item.reviewed_by || "?"}`));
  }
  return cell;
}

function conversationCell(item) {
  const cell = staff.el("td");
  if (staff.me.role === "trainer") {  // the transcript page is for agents and admins
    cell.append(staff.el("span", "hint", item.conversation_id));
    return cell;
  }
  const link = staff.el("a", "", "open");
  link.href = `/agent/conversations/${encodeURIComponent(item.conversation_id)}`;
  link.title = item.conversation_id;
  cell.append(link);
  return cell;
}

function checkbox(item) {
  const box = staff.el("input");
  box.type = "checkbox";
  box.checked = selected.has(item.id);
  box.setAttribute("aria-label", `Select message ${item.id}`);
  box.addEventListener("change", () => setSelected(item.id, box.checked));
  const cell = staff.el("td");
  cell.append(box);
  return cell;
}

function row(item, index) {
  const tr = staff.el("tr");
  tr.dataset.id = item.id;
  tr.tabIndex = -1;
  const intent = staff.el("td", "", `${item.predicted_intent || "–"} `);
  intent.append(staff.el("span", "confidence", score(item.confidence)));
  tr.append(checkbox(item), staff.el("td", "message", item.text), intent, staff.el("td", "guesses", guesses(item)),
            reasonCell(item), staff.el("td", "", staff.when(item.message_at)), conversationCell(item));
  tr.addEventListener("click", () => { focus = index; highlight(); });
  return tr;
}

function render() {
  rows.replaceChildren(...items.map(row));
  if (!items.length) {
    const empty = staff.el("td", "hint", "Nothing to review here. Messages the assistant is unsure about appear as customers chat.");
    empty.colSpan = 7;
    rows.append(staff.el("tr"));
    rows.lastChild.append(empty);
  }
  highlight();
  syncSelectAll();
}

function highlight() {
  [...rows.querySelectorAll("tr[data-id]")].forEach((tr, index) => {
    tr.classList.toggle("focused", index === focus);
    tr.setAttribute("aria-current", index === focus ? "true" : "false");
  });
}

function focusRow() {
  const tr = rows.querySelectorAll("tr[data-id]")[focus];
  if (tr) { tr.focus(); tr.scrollIntoView({ block: "nearest" }); } else intentInput.blur();
}

function move(step) {
  if (!items.length) return;
  focus = Math.max(0, Math.min(items.length - 1, focus + step));
  highlight();
  focusRow();
}

function setSelected(id, on) {
  if (on) selected.add(id); else selected.delete(id);
  const box = rows.querySelector(`tr[data-id="${Number(id)}"] input[type=checkbox]`);
  if (box) box.checked = on;
  syncSelectAll();
}

function toggleFocused() {
  const item = items[focus];
  if (item) setSelected(item.id, !selected.has(item.id));
}

function selectAll() {
  const all = items.length > 0 && selected.size === items.length;
  items.forEach((item) => setSelected(item.id, !all));
}

function syncSelectAll() {
  const box = $("select-all");
  box.checked = items.length > 0 && selected.size === items.length;
  box.indeterminate = selected.size > 0 && selected.size < items.length;
}

function targets() {
  if (selected.size) return [...selected];
  return items[focus] ? [items[focus].id] : [];
}

function say(text) { $("status-line").textContent = text; }
function complain(text) { $("error").textContent = text; }

async function review(action) {
  const ids = targets();
  if (!ids.length) { say("Nothing to review here."); return; }
  const body = { ids, action };
  if (action === "relabel") {
    body.intent = intentInput.value.trim();
    if (!body.intent) { complain("Type the intent to relabel as (or pick one)."); intentInput.focus(); return; }
  }
  try {
    const result = await staff.api("POST", "/api/training/inbox/review", body);
    const first = Math.min(...ids.map((id) => items.findIndex((item) => item.id === id)).filter((index) => index >= 0));
    ids.forEach((id) => selected.delete(id));
    if (result.intent) { addIntents([result.intent]); explainIntent(); }
    complain("");
    say(`${result.changed} ${DONE[action]}${result.intent ? ` as ${result.intent}` : ""}`);
    await load(Number.isFinite(first) ? first : focus);
    focusRow();
  } catch (problem) {
    complain(problem.message);
  }
}

async function load(focusAt = focus) {
  const query = new URLSearchParams();
  for (const [key, value] of new FormData($("filters"))) if (value) query.set(key, value);
  try {
    items = (await staff.api("GET", `/api/training/inbox?${query}`)).items;
    const present = new Set(items.map((item) => item.id));
    selected = new Set([...selected].filter((id) => present.has(id)));
    focus = Math.max(0, Math.min(focusAt, items.length - 1));
    render();
  } catch (problem) {
    complain(`Could not load the inbox: ${problem.message}`);
  }
}

function addIntents(names) {
  for (const name of names) {
    if (knownIntents.has(name)) continue;
    knownIntents.add(name);
    const option = staff.el("option");
    option.value = name;
    $("intents").append(option);
  }
}

async function loadIntents() {
  const body = await staff.api("GET", "/api/training/intents");
  addIntents([...body.intents, ...body.new_intents]);
}

function explainIntent() {
  const name = intentInput.value.trim();
  const isNew = name && !knownIntents.has(name);
  $("intent-hint").textContent = isNew ? `"${name}" is a new intent: the next export adds it to the training data.` : "";
}

function showHelp() { $("help").showModal(); }

function startRelabel() {
  intentInput.focus();
  intentInput.select();
}

const SHORTCUTS = {
  j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
  x: toggleFocused, a: selectAll, c: () => review("confirm"), d: () => review("dismiss"), r: startRelabel, "?": showHelp,
};

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || $("help").open) return;
  if (event.target.matches("input:not([type=checkbox]), select, textarea")) return;
  const shortcut = SHORTCUTS[event.key];
  if (!shortcut) return;
  event.preventDefault();
  shortcut();
}

function onIntentKey(event) {
  if (event.key === "Enter") { event.preventDefault(); review("relabel"); }
  if (event.key === "Escape") { event.preventDefault(); focusRow(); }
}

staff.start("/training").then(async () => {
  document.addEventListener("keydown", onKey);
  intentInput.addEventListener("keydown", onIntentKey);
  intentInput.addEventListener("input", explainIntent);
  $("filters").addEventListener("change", () => load(0));
  $("refresh").addEventListener("click", () => load());
  $("select-all").addEventListener("change", selectAll);
  $("confirm").addEventListener("click", () => review("confirm"));
  $("relabel").addEventListener("click", () => review("relabel"));
  $("dismiss").addEventListener("click", () => review("dismiss"));
  $("show-help").addEventListener("click", showHelp);
  $("close-help").addEventListener("click", () => $("help").close());
  await Promise.all([load(0), loadIntents().catch((problem) => complain(problem.message))]);
});
