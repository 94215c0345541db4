// Plain demo chat: HTTP to send, history on load and every few seconds (agent replies); all text is shown as text.
(function () {
  const key = "kizuna-demo-conversation";
  const conversationId = localStorage.getItem(key) || ("demo-" + crypto.randomUUID());
  localStorage.setItem(key, conversationId);
  const log = document.getElementById("log");
  const shown = new Set();
  let lastId = 0;

  function show(message) {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    lastId = Math.max(lastId, message.id);
    const item = document.createElement("li");
    item.className = message.sender;
    item.textContent = message.text;
    for (const button of message.buttons || []) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = button.title;
      b.addEventListener("click", () => send(button.payload, button.title));
      item.appendChild(b);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  async function send(text) {
    document.getElementById("error").textContent = "";
    const body = { text, client_message_id: crypto.randomUUID() };
    const customer = document.getElementById("customer").value.trim();
    if (customer) body.customer_id = customer;
    const response = await fetch(`/api/conversations/${conversationId}/messages`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) { document.getElementById("error").textContent = data.error.message; return; }
    show(data.message);
    data.replies.forEach(show);
  }

  document.getElementById("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("text");
    if (input.value.trim()) send(input.value);
    input.value = "";
  });

  function poll() {
    fetch(`/api/conversations/${conversationId}/messages?after=${lastId}`).then((r) => r.ok ? r.json() : null)
      .then((history) => history && history.messages.forEach(show)).catch(() => {});
  }
  poll();
  setInterval(poll, 3000);
})();
