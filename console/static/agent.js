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

// Follow-ups by e-mail: the address a customer left out of hours, shown as text (never as markup).
const followUps = document.getElementById("follow-ups");

function followUpRow(item) {
  const tr = document.createElement("tr");
  tr.dataset.followUp = String(item.id);
  const conversation = staff.el("td");
  const link = staff.el("a", "", "open");
  link.href = `/agent/conversations/${encodeURIComponent(item.conversation_id)}`;
  conversation.append(link);
  const done = staff.el("button", "", "Done");
  done.type = "button";
  done.addEventListener("click", async () => {
    done.disabled = true;
    try { await staff.api("POST", `/api/agent/follow-ups/${item.id}/done`); tr.remove(); }
    catch (problem) { done.disabled = false; document.getElementById("follow-ups-error").textContent = problem.message; }
  });
  const action = staff.el("td");
  action.append(done);
  tr.append(staff.el("td", "", staff.waited(item.created_at)), staff.el("td", "", item.customer_id || "anonymous visitor"),
            staff.el("td", "contact", item.contact), conversation, action);
  return tr;
}

async function refreshFollowUps() {
  try {
    const items = await staff.api("GET", "/api/agent/follow-ups");
    followUps.replaceChildren(...items.map(followUpRow));
    if (!items.length) {
      const empty = staff.el("td", "hint", "No one is waiting for an e-mail.");
      empty.colSpan = 5;
      followUps.append(staff.el("tr")); followUps.lastChild.append(empty);
    }
    document.getElementById("follow-ups-error").textContent = "";
  } catch (problem) {
    document.getElementById("follow-ups-error").textContent = `Could not load the follow-ups: ${problem.message}`;
  }
}

staff.start("/agent").then(() => {
  filters.addEventListener("change", refresh);
  refresh();
  refreshFollowUps();
  setInterval(refresh, 3000);
  setInterval(refreshFollowUps, 10000);
});
