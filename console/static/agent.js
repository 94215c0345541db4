// The queue: conversations waiting for an agent, assigned or flagged, most urgent first; refreshed every few seconds.
const rows = document.getElementById("rows");
const filters = document.getElementById("filters");
const reasonSelect = document.getElementById("reason");
const knownReasons = new Set();

function reasonOptions(conversations) {
  for (const conversation of conversations) {
    for (const reason of conversation.reasons) {
      if (knownReasons.has(reason)) continue;
      knownReasons.add(reason);
      const option = staff.el("option", "", reason);
      option.value = reason;
      reasonSelect.append(option);
    }
  }
}

function row(conversation) {
  const tr = document.createElement("tr");
  tr.dataset.conversation = conversation.conversation_id;
  const priority = staff.el("td");
  priority.append(staff.el("span", `priority-${conversation.priority || "normal"}`, conversation.priority || "flagged"));
  const customer = staff.el("td");
  const link = staff.el("a", "", conversation.customer_name || conversation.customer_id || "anonymous visitor");
  link.href = `/agent/conversations/${encodeURIComponent(conversation.conversation_id)}`;
  customer.append(link);
  if (conversation.tier) customer.append(" ", staff.el("span", "reason", conversation.tier));
  const reasons = staff.el("td");
  conversation.reasons.forEach((reason) => reasons.append(staff.el("span", "reason", reason)));
  tr.append(priority, customer, reasons, staff.el("td", "", conversation.last_message || ""),
            staff.el("td", "", staff.waited(conversation.waiting_since)), staff.el("td", "", conversation.status),
            staff.el("td", "", conversation.agent || "–"));
  return tr;
}

async function refresh() {
  const query = new URLSearchParams();
  for (const [key, value] of new FormData(filters)) if (value) query.set(key, value);
  try {
    const body = await staff.api("GET", `/api/agent/queue?${query}`);
    reasonOptions(body.conversations);
    rows.replaceChildren(...body.conversations.map(row));
    if (!body.conversations.length) {
      const empty = staff.el("td", "hint", "Nothing here right now.");
      empty.colSpan = 7;
      rows.append(staff.el("tr")); rows.lastChild.append(empty);
    }
    document.getElementById("error").textContent = "";
    document.getElementById("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (problem) {
    document.getElementById("error").textContent = `Could not load the queue: ${problem.message}`;
  }
}

staff.start("/agent").then(() => {
  filters.addEventListener("change", refresh);
  refresh();
  setInterval(refresh, 3000);
});
