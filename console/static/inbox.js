// The NLU inbox: review what the assistant was unsure about, one group of near-identical messages at a time
// or in bulk, mostly from the keyboard; the conversation around a message on demand.
const $ = (id) => document.getElementById(id);
const rows = $("rows");
const intentInput = $("intent");
const DONE = { confirm: "confirmed", relabel: "relabelled", dismiss: "dismissed" };
const PAGE_SIZE = 50;
const FALLBACK = "nlu_fallback";
const COLUMNS = 8;
const knownIntents = new Set();
let groups = [];
let selected = new Set();
let focus = 0;
let offset = 0;
let total = 0;  // rows (groups) under the filters, on every page
let shownMessages = 0;  // messages under the filters, on every page
let shown = { status: "pending", reason: "" };  // the filters the rows on the page were listed under
const contexts = new Map();  // group id → which of its listed messages the open context shows

function score(confidence) {
  return confidence === null || confidence === undefined ? "?" : confidence.toFixed(2);
}

function plural(count, word) {
  return `${count.toLocaleString()} ${word}${count === 1 ? "" : "s"}`;
}

function cell(label, className, text) {
  const td = staff.el("td", className, text);
  td.dataset.label = label;
  return td;
}

function guesses(group) {
  const others = group.guesses.filter((guess) => guess.name !== group.predicted_intent && guess.name !== FALLBACK);
  return others.map((guess) => `${guess.name} ${score(guess.confidence)}`).join(", ") || "–";
}

function messageCell(group) {
  const td = cell("Message", "message");
  td.append(staff.el("div", "text", group.text));
  if (group.variant_count > 1) {
    const wordings = group.variants.map((variant) => `“${variant.text}”${variant.count > 1 ? ` ×${variant.count}` : ""}`);
    const more = group.variant_count - 1 - group.variants.length;
    if (more > 0) wordings.push(`${plural(more, "more wording")}`);
    td.append(staff.el("div", "variants hint", `also written as ${wordings.join("; ")}`));
  }
  return td;
}

function countCell(group) {
  const td = cell("Count", "count");
  td.append(staff.el("span", "count-badge", `${group.count.toLocaleString()}×`));
  td.setAttribute("aria-label", `${plural(group.count, "message")} in ${plural(group.conversations, "conversation")}`);
  if (group.conversations > 1) td.append(staff.el("div", "hint", `in ${plural(group.conversations, "conversation")}`));
  return td;
}

function intentCell(group) {
  const td = cell("Bot's intent", "", `${group.predicted_intent || "fell back"} `);
  const range = group.confidence_range;
  const confidence = !range || group.count === 1 || range[0] === range[1] ? score(range ? range[0] : null)
    : `${score(range[0])}–${score(range[1])}`;
  td.append(staff.el("span", "confidence", confidence));
  const others = group.predicted_intent ? group.predicted.filter((entry) => entry.name !== group.predicted_intent) : [];
  if (others.length) {
    const named = others.map((entry) => `${entry.name === FALLBACK ? "fell back" : entry.name} ×${entry.count}`);
    td.append(staff.el("div", "hint", `others: ${named.join(", ")}`));
  }
  return td;
}

function reasonCell(group) {
  const td = cell("Reason");
  for (const [reason, count] of Object.entries(group.reasons)) {
    td.append(staff.el("span", "reason", `${reason.replace("_", " ")}${group.count > 1 ? ` ×${count}` : ""}`));
  }
  if (group.flagged_by.length) td.append(staff.el("span", "hint", `by ${group.flagged_by.join(", ")}`));
  if (group.status === "mixed") {
    const parts = Object.entries(group.statuses).map(([status, count]) => `${count} ${status}`);
    td.append(staff.el("div", "hint", parts.join(", ")));
  } else if (group.status !== "pending") {
    const who = group.reviewed_by.join(", ") || "?";
    td.append(staff.el("div", "hint", `${group.status}${group.intent ? ` as ${group.intent}` : ""} by ${who}`));
  }
  return td;
}

function whenCell(group) {
  const td = cell("When", "", staff.when(group.last_at));
  if (group.count > 1 && group.first_at !== group.last_at) td.append(staff.el("div", "hint", `since ${staff.when(group.first_at)}`));
  return td;
}

function contextCell(group) {
  const td = cell("Context", "context");
  const toggle = staff.el("button", "context-toggle", "Context");
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", contexts.has(group.group) ? "true" : "false");
  toggle.setAttribute("aria-controls", `context-${group.group}`);
  toggle.title = "The conversation around this message (o)";
  toggle.addEventListener("click", (event) => { event.stopPropagation(); toggleContext(group); });
  td.append(toggle);
  return td;
}

function checkbox(group) {
  const box = staff.el("input");
  box.type = "checkbox";
  box.checked = selected.has(group.group);
  box.setAttribute("aria-label", `Select “${group.text.slice(0, 60)}” (${plural(group.count, "message")})`);
  box.addEventListener("change", () => setSelected(group.group, box.checked));
  const td = cell("Select", "select");
  td.append(box);
  return td;
}

function row(group, index) {
  const tr = staff.el("tr");
  tr.dataset.id = group.group;
  tr.tabIndex = -1;
  tr.append(checkbox(group), messageCell(group), countCell(group), intentCell(group), cell("Other guesses", "guesses", guesses(group)),
            reasonCell(group), whenCell(group), contextCell(group));
  tr.addEventListener("click", () => { focus = index; highlight(); });
  return tr;
}

function rowOf(groupId) {
  return rows.querySelector(`tr[data-id="${CSS.escape(groupId)}"]`);
}

function render() {
  rows.replaceChildren(...groups.map(row));
  if (!groups.length) {
    const empty = staff.el("td", "hint", "Nothing to review here. Messages the assistant is unsure about appear as customers chat.");
    empty.colSpan = COLUMNS;
    rows.append(staff.el("tr"));
    rows.lastChild.append(empty);
  }
  const present = new Set(groups.map((group) => group.group));
  for (const groupId of [...contexts.keys()]) if (!present.has(groupId)) contexts.delete(groupId);
  for (const group of groups) if (contexts.has(group.group)) showContext(group);
  highlight();
  syncSelectAll();
  summarise();
}

function summarise() {
  const messages = groups.reduce((sum, group) => sum + group.count, 0);
  if (!total) $("page-summary").textContent = "";
  else if (total <= groups.length) $("page-summary").textContent = `${plural(total, "row")} · ${plural(shownMessages, "message")}`;
  else {
    $("page-summary").textContent = `Rows ${offset + 1}–${offset + groups.length} of ${total.toLocaleString()} · `
      + `${plural(messages, "message")} on this page, ${plural(shownMessages, "message")} in all`;
  }
  $("previous-page").disabled = offset === 0;
  $("next-page").disabled = offset + groups.length >= total;
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
  if (!groups.length) return;
  focus = Math.max(0, Math.min(groups.length - 1, focus + step));
  highlight();
  focusRow();
}

function setSelected(groupId, on) {
  if (on) selected.add(groupId); else selected.delete(groupId);
  const box = rowOf(groupId)?.querySelector("input[type=checkbox]");
  if (box) box.checked = on;
  syncSelectAll();
}

function toggleFocused() {
  const group = groups[focus];
  if (group) setSelected(group.group, !selected.has(group.group));
}

function selectAll() {
  const all = groups.length > 0 && selected.size === groups.length;
  groups.forEach((group) => setSelected(group.group, !all));
}

function syncSelectAll() {
  const box = $("select-all");
  box.checked = groups.length > 0 && selected.size === groups.length;
  box.indeterminate = selected.size > 0 && selected.size < groups.length;
}

function targets() {
  if (selected.size) return [...selected];
  return groups[focus] ? [groups[focus].group] : [];
}

function say(text) { $("status-line").textContent = text; }
function complain(text) { $("error").textContent = text; }

function outcome(action, result) {
  let text = `${plural(result.changed, "message")} ${DONE[action]}${result.intent ? ` as ${result.intent}` : ""}`;
  if (result.groups > 1) text += ` (${result.groups} rows)`;
  if (result.missing) text += `; ${plural(result.missing, "row")} had been reviewed meanwhile`;
  return text;
}

async function review(action) {
  const chosen = targets();
  if (!chosen.length) { say("Nothing to review here."); return; }
  const body = { groups: chosen, action, status: shown.status };
  if (shown.reason) body.reason = shown.reason;
  if (action === "relabel") {
    body.intent = intentInput.value.trim();
    if (!body.intent) { complain("Type the intent to relabel as (or pick one)."); intentInput.focus(); return; }
  }
  try {
    const result = await staff.api("POST", "/api/training/inbox/groups/review", body);
    const positions = chosen.map((groupId) => groups.findIndex((group) => group.group === groupId));
    const first = Math.min(...positions.filter((index) => index >= 0));
    chosen.forEach((groupId) => { selected.delete(groupId); contexts.delete(groupId); });
    if (result.intent) { addIntents([result.intent]); explainIntent(); }
    complain("");
    say(outcome(action, result));
    await load(Number.isFinite(first) ? first : focus);
    focusRow();
  } catch (problem) {
    complain(problem.message);
  }
}

async function load(focusAt = focus) {
  const query = new URLSearchParams();
  for (const [key, value] of new FormData($("filters"))) if (value) query.set(key, value);
  query.set("offset", offset);
  query.set("limit", PAGE_SIZE);
  try {
    const body = await staff.api("GET", `/api/training/inbox/groups?${query}`);
    if (!body.groups.length && body.total_groups && offset > 0) {  // the last page emptied: show the one before
      offset = Math.max(0, Math.floor((body.total_groups - 1) / PAGE_SIZE) * PAGE_SIZE);
      return load(focusAt);
    }
    groups = body.groups;
    total = body.total_groups;
    shownMessages = body.total_messages;
    shown = { status: query.get("status") || "pending", reason: query.get("reason") || "" };
    const present = new Set(groups.map((group) => group.group));
    selected = new Set([...selected].filter((groupId) => present.has(groupId)));
    focus = Math.max(0, Math.min(focusAt, groups.length - 1));
    render();
  } catch (problem) {
    complain(`Could not load the inbox: ${problem.message}`);
  }
}

function turnPage(step) {
  const next = offset + step * PAGE_SIZE;
  if (next < 0 || next >= total) return;
  offset = next;
  selected.clear();
  contexts.clear();
  load(0).then(focusRow);
}

// The conversation around a message, in a row of its own under the group's row.

function toggleContext(group) {
  if (contexts.has(group.group)) {
    contexts.delete(group.group);
    document.getElementById(`context-${group.group}`)?.closest("tr")?.remove();
    rowOf(group.group)?.querySelector(".context-toggle")?.setAttribute("aria-expanded", "false");
    return;
  }
  contexts.set(group.group, 0);
  showContext(group);
}

function contextRow(group) {
  const existing = document.getElementById(`context-${group.group}`);
  if (existing) return existing;
  const tr = staff.el("tr", "context-row");
  const td = staff.el("td");
  td.colSpan = COLUMNS;
  const panel = staff.el("section", "context-panel");
  panel.id = `context-${group.group}`;
  panel.setAttribute("aria-label", `Conversation around “${group.text.slice(0, 60)}”`);
  td.append(panel);
  tr.append(td);
  rowOf(group.group).after(tr);
  rowOf(group.group).querySelector(".context-toggle").setAttribute("aria-expanded", "true");
  return panel;
}

function contextHeader(group, index, body) {
  const header = staff.el("div", "context-header");
  header.append(staff.el("span", "hint", `Conversation ${body.conversation_id}`));
  if (staff.me.role !== "trainer") {  // the whole transcript is for agents and admins
    const link = staff.el("a", "", "open the whole conversation");
    link.href = `/agent/conversations/${encodeURIComponent(body.conversation_id)}`;
    header.append(link);
  }
  const listed = group.members.length;
  if (listed > 1) {
    const previous = staff.el("button", "secondary", "‹ Previous example");
    const next = staff.el("button", "secondary", "Next example ›");
    for (const [button, step] of [[previous, -1], [next, 1]]) {
      button.type = "button";
      button.disabled = index + step < 0 || index + step >= listed;
      button.addEventListener("click", () => { contexts.set(group.group, index + step); showContext(group); });
    }
    const of = listed < group.count ? `${listed} listed of ${group.count.toLocaleString()}` : `${listed}`;
    header.append(previous, staff.el("span", "hint", `example ${index + 1} of ${of}`), next);
  }
  return header;
}

function transcriptEntry(message) {
  const item = staff.el("li", `${message.sender}${message.focus ? " focus" : ""}`);
  let who = `${message.sender} · ${staff.when(message.at)}`;
  if (message.intent) who += ` · ${message.intent} ${score(message.confidence)}`;
  if (message.focus) who += " · this message";
  item.append(staff.el("span", "who-line", who), staff.el("span", "", message.text));
  if (message.focus) item.setAttribute("aria-current", "true");
  return item;
}

async function showContext(group) {
  const index = contexts.get(group.group) || 0;
  const member = group.members[index];
  const panel = contextRow(group);
  panel.replaceChildren(staff.el("p", "hint", "Loading the conversation…"));
  try {
    const body = await staff.api("GET", `/api/training/inbox/${member.id}/context`);
    if (contexts.get(group.group) !== index) return;  // another example was asked for meanwhile
    const list = staff.el("ol", "transcript context-transcript");
    if (body.more_before) list.append(staff.el("li", "hint more", "… earlier messages"));
    list.append(...body.messages.map(transcriptEntry));
    if (body.more_after) list.append(staff.el("li", "hint more", "… later messages"));
    panel.replaceChildren(contextHeader(group, index, body), list);
  } catch (problem) {
    panel.replaceChildren(staff.el("p", "error", `Could not load the conversation: ${problem.message}`));
  }
}

function toggleFocusedContext() {
  const group = groups[focus];
  if (group) toggleContext(group);
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
  o: toggleFocusedContext, n: () => turnPage(1), p: () => turnPage(-1),
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
  $("filters").addEventListener("change", () => { offset = 0; selected.clear(); contexts.clear(); load(0); });
  $("refresh").addEventListener("click", () => load());
  $("select-all").addEventListener("change", selectAll);
  $("confirm").addEventListener("click", () => review("confirm"));
  $("relabel").addEventListener("click", () => review("relabel"));
  $("dismiss").addEventListener("click", () => review("dismiss"));
  $("previous-page").addEventListener("click", () => turnPage(-1));
  $("next-page").addEventListener("click", () => turnPage(1));
  $("show-help").addEventListener("click", showHelp);
  $("close-help").addEventListener("click", () => $("help").close());
  await Promise.all([load(0), loadIntents().catch((problem) => complain(problem.message))]);
});
