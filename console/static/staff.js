// Shared by the staff pages: who is logged in, the navigation, API calls with the CSRF token, and how
// figures are written (shares, points, amounts), the same on every page.
// Everything customer-written is put on the page with textContent, never as markup.
const staff = (() => {
  let me = null;

  async function api(method, url, body) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = me ? me.csrf_token : "";
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) {
      location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      throw new Error("please log in");
    }
    const data = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
    if (!response.ok) {
      const problem = new Error(data && data.error ? data.error.message : response.statusText);
      problem.details = data && data.error ? data.error.details || null : null;  // the fields at fault, for forms
      throw problem;
    }
    return data;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) : "–";
  }

  function waited(iso) {
    if (!iso) return "–";
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  // Amounts are in the shop's currency: the one an answer names, else this.
  const DEFAULT_CURRENCY = "EUR";
  const absent = (value) => value === null || value === undefined;
  const signed = (value, digits) => `${value >= 0 ? "+" : "\u2212"}${Math.abs(value).toFixed(digits)}`;
  const figures = {
    share: (value) => (absent(value) ? "–" : `${(100 * value).toFixed(1)}\u00a0%`),
    points: (share) => (absent(share) ? "–" : `${signed(100 * share, 1)}\u00a0pts`),
    amount: (value, currency) => (absent(value) ? "–" : `${Number(value).toFixed(2)}\u00a0${currency || DEFAULT_CURRENCY}`),
    change: (value, currency) => (absent(value) ? "–" : `${signed(Number(value), 2)}\u00a0${currency || DEFAULT_CURRENCY}`),
  };

  async function start(active) {
    me = await api("GET", "/api/session");
    const nav = el("nav", "staff-nav");
    nav.setAttribute("aria-label", "Console");
    const links = [["/agent", "Queue"], ["/analytics", "Analytics"], ["/customers", "Customers"]];
    if (me.role === "trainer" || me.role === "admin") links.push(["/training", "Inbox"], ["/models", "Models"]);
    if (me.role === "admin") links.push(["/campaigns", "Campaigns"], ["/audit", "Audit log"]);
    for (const [href, label] of links) {
      const link = el("a", "", label);
      link.href = href;
      if (href === active) link.setAttribute("aria-current", "page");
      nav.append(link);
    }
    const logout = el("button", "", "Log out");
    logout.type = "button";
    logout.addEventListener("click", async () => { await api("DELETE", "/api/session"); location.href = "/login"; });
    nav.append(el("span", "who", `${me.username} (${me.role})`), logout);
    document.body.prepend(nav);
    return me;
  }

  return { api, el, when, waited, start, figures, get me() { return me; } };
})();
