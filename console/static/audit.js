// Every staff action, newest first (admins only).
async function load() {
  const query = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters"))) if (value.trim()) query.set(key, value.trim());
  try {
    const body = await staff.api("GET", `/api/audit?${query}`);
    document.getElementById("rows").replaceChildren(...body.entries.map((entry) => {
      const tr = staff.el("tr");
      tr.append(staff.el("td", "", staff.when(entry.at)), staff.el("td", "", entry.username || "–"), staff.el("td", "", entry.action),
                staff.el("td", "", entry.conversation_id || ""), staff.el("td", "", entry.detail ? JSON.stringify(entry.detail) : ""));
      return tr;
    }));
    document.getElementById("error").textContent = "";
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  }
}

staff.start("/audit").then(() => {
  document.getElementById("filters").addEventListener("input", load);
  load();
});
