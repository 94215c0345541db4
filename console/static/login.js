// The login form: POST /api/session, then on to `next` (only a path on this site) or the agent queue.
(() => {
  const form = document.getElementById("login");
  const error = document.getElementById("error");

  function destination() {
    const next = new URLSearchParams(location.search).get("next") || "";
    const local = next.startsWith("/") && !next.startsWith("//") && !next.includes("\\");
    return local ? next : "/agent";
  }

  async function logIn(event) {
    event.preventDefault();
    error.textContent = "";
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch("/api/session", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ username: form.username.value.trim(), password: form.password.value }),
      });
      if (response.ok) {
        location.assign(destination());
        return;
      }
      const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
      if (response.status === 429) {
        error.textContent = `Too many failed attempts. Try again in ${response.headers.get("Retry-After") || "a few"} seconds.`;
      } else if (response.status === 401 || response.status === 422) {
        error.textContent = "Unknown user or wrong password.";
      } else {
        error.textContent = body && body.error ? body.error.message : `Login failed (${response.status}).`;
      }
      form.password.value = "";
      form.password.focus();
    } catch (problem) {
      error.textContent = "The console cannot be reached. Try again in a moment.";
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", logIn);
  // Already logged in (another tab): go straight on.
  fetch("/api/session", { headers: { "Accept": "application/json" } }).then((response) => {
    if (response.ok) location.replace(destination());
  }).catch(() => {});
})();
