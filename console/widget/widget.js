// kizuna chat widget: one <script> tag, Shadow DOM, nothing lost. All text is shown as text.
(function () {
  "use strict";
  const script = document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-server], script[src$="/widget.js"]');
  if (!script || window.kizunaWidget) return;

  const data = script.dataset;
  const server = (data.server || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  // Only "#hex" or a colour name reach the CSS; anything else (url(), var(), expressions) is ignored.
  const colour = (value, fallback) => /^#[0-9a-f]{3,8}$/i.test(value || "") || /^[a-z]{3,20}$/i.test(value || "") ? value : fallback;
  const accent = colour(data.color, "#0b6e4f");
  const config = {
    title: data.title || "Chat with us",
    color: accent,
    textColor: colour(data.textColor, readableOn(accent)),
    background: colour(data.background, ""),
    greeting: data.greeting || "",
    token: data.customerToken || "",
    left: data.position === "left",
    open: data.open === "true",
  };
  const MAX_CHARS = 2000;
  const keys = {
    conversation: `kizuna:${server}:conversation`, secret: `kizuna:${server}:secret`, owner: `kizuna:${server}:owner`,
    outbox: `kizuna:${server}:outbox`, open: `kizuna:${server}:open`,
  };
  // The console closes a live connection with this code when the conversation is unknown or not ours.
  const UNKNOWN_CONVERSATION = 4404;

  const CSS = `
:host { all: initial; position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2a26; }
:host(.left) { right: auto; left: 20px; }
* { box-sizing: border-box; font: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.launcher { width: 56px; height: 56px; border-radius: 50%; border: 0; background: var(--kz-accent); color: var(--kz-on-accent);
  box-shadow: 0 4px 14px rgba(0,0,0,.25); position: relative; display: block; margin-left: auto; font-size: 24px; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px;
  background: #d1223b; color: #fff; font-size: 12px; line-height: 20px; text-align: center; }
.panel { position: absolute; bottom: 70px; right: 0; width: 360px; height: 540px; max-height: calc(100vh - 100px);
  background: var(--kz-background, #fff); border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }
:host(.left) .panel { right: auto; left: 0; }
.panel[hidden], [hidden] { display: none !important; }
header { background: var(--kz-accent); color: var(--kz-on-accent); padding: 12px 14px; display: flex; align-items: center; }
header h2 { margin: 0; font-size: 16px; font-weight: 600; flex: 1; }
header button { background: none; border: 0; color: inherit; font-size: 22px; line-height: 1; padding: 0 4px; }
header button.restart { font-size: 13px; line-height: 1.2; border: 1px solid currentColor; border-radius: 14px; padding: 3px 10px; margin-right: 8px; white-space: nowrap; }
.banner, .connection { padding: 6px 12px; font-size: 13px; background: #fff4d6; color: #5a4300; }
.connection { background: #fde2e2; color: #7a1020; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; background: var(--kz-background, #f6f7f8); }
.msg { max-width: 85%; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; background: #fff;
  border: 1px solid #e3e5ea; align-self: flex-start; }
.msg-customer { align-self: flex-end; background: var(--kz-accent); color: var(--kz-on-accent); border-color: transparent; }
.msg-customer a { color: inherit; }
.msg-agent { background: #e4f1fb; }
.msg-system, .msg-greeting { background: none; border: 0; color: #5b6663; font-size: 13px; font-style: italic; align-self: center; }
.msg time, .msg .state { display: block; font-size: 11px; opacity: .75; margin-top: 3px; }
.pending { opacity: .7; }
.failed { background: #fde2e2; color: #7a1020; }
.offer { border: 2px solid var(--kz-accent); background: #fff; }
.offer h3 { margin: 0 0 4px; font-size: 14px; font-weight: 600; }
.choices { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.choices button { border: 1px solid var(--kz-accent); background: #fff; color: var(--kz-accent); border-radius: 14px; padding: 4px 10px; }
.choices button.offer-accept { background: var(--kz-accent); color: var(--kz-on-accent); }
.choices button:disabled { opacity: .45; cursor: default; }
.rating { align-self: stretch; max-width: none; border: 2px solid var(--kz-accent); background: #fff; color: #1d2a26;
  font-style: normal; font-size: 15px; }
.scores { display: flex; gap: 6px; margin: 8px 0 6px; }
.scores button { flex: 1; min-width: 36px; height: 40px; border: 1px solid var(--kz-accent); border-radius: 8px; background: #fff;
  color: var(--kz-accent); font-weight: 600; }
.scores button[aria-pressed="true"] { background: var(--kz-accent); color: var(--kz-on-accent); }
.scale { display: flex; justify-content: space-between; font-size: 11px; color: #5b6663; margin-bottom: 6px; }
.rating textarea { width: 100%; height: 56px; display: block; }
.rating .send { margin-top: 6px; height: 36px; }
.rating .send:disabled { opacity: .45; cursor: default; }
.rating .problem { color: #7a1020; font-size: 13px; }
.thanks { font-weight: 600; color: var(--kz-accent); margin-top: 6px; }
.typing { padding: 0 12px 6px; font-size: 13px; color: #5b6663; background: var(--kz-background, #f6f7f8); }
.composer { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #e3e5ea; align-items: flex-end; }
textarea { flex: 1; resize: none; height: 42px; max-height: 120px; padding: 8px; border: 1px solid #c8ccd2; border-radius: 8px; color: #1d2a26; background: #fff; }
.send { border: 0; border-radius: 8px; background: var(--kz-accent); color: var(--kz-on-accent); padding: 0 14px; height: 42px; }
.counter { font-size: 11px; color: #5b6663; text-align: right; padding: 0 10px 6px; }
@media (max-width: 480px) {
  .panel { position: fixed; inset: 0; width: auto; height: auto; max-height: none; border-radius: 0; }
  :host(.open) .launcher { display: none; }
}
.teaser { position: absolute; bottom: 70px; right: 0; width: 280px; max-width: calc(100vw - 40px); background: #fff; color: #1d2a26;
  border: 2px solid var(--kz-accent); border-radius: 12px; box-shadow: 0 6px 20px rgba(0,0,0,.2); display: flex; align-items: flex-start; }
:host(.left) .teaser { right: auto; left: 0; }
.teaser .open-chat { flex: 1; background: none; border: 0; text-align: left; padding: 10px 4px 10px 12px; color: inherit; }
.teaser .dismiss { background: none; border: 0; font-size: 20px; line-height: 1; padding: 6px 10px; color: #5b6663; }
.msg-nudge { border: 2px solid var(--kz-accent); align-self: stretch; max-width: none; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; vertical-align: middle; }
@media (prefers-reduced-motion: no-preference) { .panel { transition: opacity .15s; } }`;

  // --- small helpers ---------------------------------------------------------------------------
  // Text colour for the accent when the page sets none: dark on a light #hex accent, else white.
  function readableOn(color) {
    const hex = color.slice(1);
    if (color[0] !== "#" || ![3, 4, 6, 8].includes(hex.length)) return "#fff";
    const full = hex.length < 6 ? hex.replace(/./g, "$&$&") : hex;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? "#1d2a26" : "#fff";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Array.from({ length: 4 }, () => Math.random().toString(16).slice(2, 10)).join("");
  }

  function stored(key, fallback) {
    try { const value = localStorage.getItem(key); return value === null ? fallback : JSON.parse(value); } catch (e) { return fallback; }
  }

  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: this tab only */ }
  }

  // The customer's own words in this browser session: what they typed (by client_message_id) and the replies
  // as the bot wrote them to them (by message id). The console stores and shows staff these with personal data
  // masked; the customer's own view, and its reload in the same session, shows what was really written.
  const OWN_LIMIT = 300;
  function ownKey() { return `kizuna:${server}:own:${conversationId}`; }
  function ownWords() {
    try { const value = JSON.parse(sessionStorage.getItem(ownKey()) || "null"); if (value && value.c && value.m) return value; } catch (e) { /* ignore */ }
    return { c: {}, m: {} };
  }
  function keepOwn(kind, id, text) {
    if (!id || typeof text !== "string") return;
    const own = ownWords();
    own[kind][String(id)] = text;
    const ids = Object.keys(own[kind]);
    if (ids.length > OWN_LIMIT) ids.slice(0, ids.length - OWN_LIMIT).forEach((old) => { delete own[kind][old]; });
    try { sessionStorage.setItem(ownKey(), JSON.stringify(own)); } catch (e) { /* full or private mode: masked text then */ }
  }
  function ownText(message) {
    const own = ownWords();
    if (message.sender === "customer" && message.client_message_id && own.c[message.client_message_id] !== undefined) {
      return own.c[message.client_message_id];
    }
    return own.m[String(message.id)] !== undefined ? own.m[String(message.id)] : message.text;
  }

  // Links only for http(s) URLs; everything else stays a text node.
  function linkified(text) {
    const fragment = document.createDocumentFragment();
    const pattern = /https?:\/\/[^\s<>"']+/gi;
    let last = 0;
    for (let match; (match = pattern.exec(text));) {
      const raw = match[0].replace(/[.,;:!?)]+$/, "");
      fragment.append(text.slice(last, match.index));
      let url = null;
      try { url = new URL(raw); } catch (e) { url = null; }
      if (url && (url.protocol === "http:" || url.protocol === "https:")) {
        const link = el("a", "", raw);
        link.href = url.href;
        link.rel = "noopener noreferrer nofollow";
        link.target = "_blank";
        fragment.append(link);
      } else {
        fragment.append(raw);
      }
      last = match.index + raw.length;
      pattern.lastIndex = last;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  function chatIcon() {
    const svgNs = "http://www.w3.org/2000/svg";
    const icon = document.createElementNS(svgNs, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    const bubble = document.createElementNS(svgNs, "path");
    bubble.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
    icon.append(bubble);
    return icon;
  }

  // Who the page says is chatting: the customer id of a token (`<id>:<expiry>:<signature>`), "" when anonymous.
  function tokenOwner(token) {
    const parts = (token || "").split(":");
    return parts.length >= 3 ? parts.slice(0, -2).join(":") : "";
  }

  function timeOf(iso) {
    const time = el("time");
    const date = iso ? new Date(iso) : new Date();
    time.dateTime = date.toISOString();
    time.textContent = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return time;
  }

  // --- state -----------------------------------------------------------------------------------
  // A conversation belongs to one person: another customer (or signing in or out) starts a new one.
  const owner = tokenOwner(config.token);
  let conversationId = stored(keys.conversation, null), secret = stored(keys.secret, null);
  if (!conversationId || stored(keys.owner, null) !== owner) beginConversation(false);

  // A fresh id, no secret yet: the console issues it with the reply to the first message.
  function beginConversation(keepOutbox) {
    conversationId = "w-" + newId();
    secret = null;
    store(keys.conversation, conversationId);
    store(keys.secret, null);
    store(keys.owner, owner);
    if (!keepOutbox) store(keys.outbox, []);
  }
  const seen = new Set();
  // The first connection's replay is history the customer has seen; replays after a reconnect are news.
  let replayIsNews = false, hadHello = false;
  const rows = new Map(); // client_message_id -> pending row
  let lastId = 0, socket = null, connected = false, attempts = 0, retryTimer = null, helloTimer = null;
  let status = "bot", agent = null, unread = 0, isOpen = false, typingTimer = null, bannerTimer = null;
  let team = "online", followUp = false;
  let rated = null; // whether this conversation is rated: null until asked (GET …/rating), then true or false
  const MAX_COMMENT = 1000;
  const SCORE_NAMES = ["very poor", "poor", "okay", "good", "excellent"];
  const shown = new Map(); // message id -> the message as the console sent it (to show the customer's own text later)
  let resolveReady;
  const ready = new Promise((resolve) => { resolveReady = resolve; });
  let readyFired = false;

  // --- the UI ----------------------------------------------------------------------------------
  const host = el("div");
  host.id = "kizuna-widget";
  if (config.left) host.classList.add("left");
  host.style.setProperty("--kz-accent", config.color);
  host.style.setProperty("--kz-on-accent", config.textColor);
  if (config.background) host.style.setProperty("--kz-background", config.background);
  const root = host.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in root && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(el("style", "", CSS));
  }

  const panel = el("div", "panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", config.title);
  panel.hidden = true;
  const header = el("header");
  const closeButton = el("button", "close", "×");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close chat");
  const restartButton = el("button", "restart", "New conversation");
  restartButton.type = "button";
  restartButton.title = "Start a new conversation";
  header.append(el("h2", "", config.title), restartButton, closeButton);
  const banner = el("div", "banner");
  banner.setAttribute("role", "status");
  banner.hidden = true;
  const connection = el("div", "connection", "Reconnecting…");
  connection.setAttribute("role", "status");
  connection.hidden = true;
  const log = el("div", "log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  const typing = el("div", "typing", "Typing…");
  typing.setAttribute("aria-label", "The assistant is typing");
  typing.hidden = true;
  const composer = el("form", "composer");
  const input = el("textarea");
  input.maxLength = MAX_CHARS;
  input.placeholder = "Type your message…";
  input.setAttribute("aria-label", "Message");
  const sendButton = el("button", "send", "Send");
  sendButton.type = "submit";
  sendButton.setAttribute("aria-label", "Send");
  composer.append(input, sendButton);
  const counter = el("div", "counter", `0/${MAX_CHARS}`);
  panel.append(header, banner, connection, log, typing, composer, counter);

  const launcher = el("button", "launcher");
  launcher.append(chatIcon());
  launcher.type = "button";
  launcher.setAttribute("aria-label", "Open chat");
  launcher.setAttribute("aria-expanded", "false");
  const badge = el("span", "badge", "0");
  badge.hidden = true;
  badge.setAttribute("aria-label", "unread messages");
  launcher.append(badge);
  // A campaign's note for this signed-in customer, over the launcher while the chat is closed.
  const teaser = el("div", "teaser");
  teaser.setAttribute("role", "status");
  teaser.hidden = true;
  const teaserText = el("button", "open-chat");
  teaserText.type = "button";
  const dismiss = el("button", "dismiss", "×");
  dismiss.type = "button";
  dismiss.setAttribute("aria-label", "Dismiss");
  teaser.append(teaserText, dismiss);
  root.append(panel, teaser, launcher);
  showGreeting();

  function showGreeting() {
    if (config.greeting) log.append(el("div", "msg msg-greeting", config.greeting));
  }

  function setOpen(open) {
    isOpen = open;
    panel.hidden = !open;
    host.classList.toggle("open", open);
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    try { sessionStorage.setItem(keys.open, open ? "1" : "0"); } catch (e) { /* ignore */ }
    if (open) {
      teaser.hidden = true;
      unread = 0;
      showBadge();
      log.scrollTop = log.scrollHeight;
      input.focus();
    }
  }

  function showBadge() {
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on || status === "agent";
    if (on) typingTimer = setTimeout(() => { typing.hidden = true; }, 30000);
  }

  function showBanner(text, hideAfter) {
    clearTimeout(bannerTimer);
    banner.textContent = text || "";
    banner.hidden = !text;
    if (text && hideAfter) bannerTimer = setTimeout(() => { banner.hidden = true; }, hideAfter);
  }

  // The banner says only what is true: nobody is "being brought in" while the team is offline.
  function setStatus(next, nextAgent, frame) {
    const before = status, beforeAgent = agent;
    status = next || "bot";
    agent = nextAgent || null;
    // `team` and `follow_up` come with the states whose banner depends on them (waiting, or an address left).
    team = frame && frame.team === "offline" ? "offline" : "online";
    followUp = Boolean(frame && frame.follow_up === true);
    if (status === "agent") {
      showBanner(`${agent ? agent : "A member of our team"}${agent ? " from our team has" : " has"} joined the chat`);
      typing.hidden = true;
    } else if (followUp && team === "offline") {
      showBanner("Our team is offline right now; we'll reply by e-mail.");
    } else if (status === "waiting_for_agent" && team === "offline") {
      showBanner("Our team is offline right now; nobody can join this chat until they're back.");
    } else if (status === "waiting_for_agent") {
      showBanner("We're bringing in a member of our team…");
    } else if (before === "agent") {
      showBanner(`${beforeAgent || "Our team member"} has left the chat; you're back with our assistant.`, 8000);
    } else {
      showBanner("");
    }
  }

  // --- messages --------------------------------------------------------------------------------
  function disableChoices() {
    log.querySelectorAll(".choices button").forEach((button) => { button.disabled = true; });
  }

  function choices(message) {
    const box = el("div", "choices");
    message.buttons.forEach((button, index) => {
      const offerClass = message.kind === "offer" ? (index === 0 ? "offer-accept" : "offer-decline") : "";
      const choice = el("button", offerClass, button.title);
      choice.type = "button";
      choice.addEventListener("click", () => { disableChoices(); send(button.title, button.payload); });
      box.append(choice);
    });
    return box;
  }

  function messageRow(message) {
    const row = el("div", `msg msg-${message.sender}`);
    if (message.kind === "offer") {
      row.classList.add("offer");
      row.append(el("h3", "", "A little something for you"));
    }
    row.append(linkified(ownText(message)));
    if (message.kind === "rating") { row.classList.add("rating"); row.append(ratingBox()); }
    if (message.buttons && message.buttons.length) row.append(choices(message));
    row.append(timeOf(message.created_at));
    row.dataset.id = String(message.id);
    return row;
  }

  // --- rating the chat: five buttons and an optional comment, once per conversation ------------
  function ratingUrl() { return `${server}/api/conversations/${encodeURIComponent(conversationId)}/rating`; }

  function ratingBox() {
    const box = el("div", "rating-box");
    if (rated) { box.append(thanks()); return box; }
    box.append(ratingForm());
    if (rated === null) checkRated();
    return box;
  }

  function thanks() {
    const note = el("div", "thanks", "Thank you for your feedback");
    note.setAttribute("role", "status");
    return note;
  }

  function ratingForm() {
    const form = el("form", "rating-form");
    let score = 0;
    const scores = el("div", "scores");
    scores.setAttribute("role", "group");
    scores.setAttribute("aria-label", "Your rating from 1 (very poor) to 5 (excellent)");
    const comment = el("textarea");
    comment.maxLength = MAX_COMMENT;
    comment.placeholder = "Anything to add? (optional)";
    comment.setAttribute("aria-label", "Comment (optional)");
    const submit = el("button", "send", "Send rating");
    submit.type = "submit";
    submit.disabled = true;
    const problem = el("div", "problem");
    problem.setAttribute("role", "alert");
    for (let value = 1; value <= 5; value += 1) {
      const button = el("button", "", String(value));
      button.type = "button";
      button.setAttribute("aria-label", `${value} of 5, ${SCORE_NAMES[value - 1]}`);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        score = value;
        scores.querySelectorAll("button").forEach((other) => other.setAttribute("aria-pressed", String(other === button)));
        submit.disabled = false;
      });
      scores.append(button);
    }
    const scale = el("div", "scale");
    scale.append(el("span", "", "very poor"), el("span", "", "excellent"));
    scale.setAttribute("aria-hidden", "true");
    form.append(scores, scale, comment, submit, problem);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (score) sendRating(form, score, comment.value.trim(), problem);
    });
    return form;
  }

  function sendRating(form, score, comment, problem) {
    const body = { score };
    if (comment) body.comment = comment.slice(0, MAX_COMMENT);
    if (config.token) body.customer_token = config.token;
    form.querySelectorAll("button, textarea").forEach((control) => { control.disabled = true; });
    problem.textContent = "";
    fetch(ratingUrl(), { method: "POST", headers: { "Content-Type": "application/json", "X-Conversation-Secret": secret || "" },
                         body: JSON.stringify(body) })
      .then((response) => response.json().catch(() => ({})).then((answer) => {
        const code = answer && answer.error && answer.error.code;
        if (response.ok || code === "already_rated") { markRated(); return; }
        throw new Error((answer && answer.error && answer.error.message) || "not sent");
      }))
      .catch(() => {
        problem.textContent = "Sorry, your rating was not sent. Please try again.";
        form.querySelectorAll("button, textarea").forEach((control) => { control.disabled = false; });
      });
  }

  // Whether the conversation is rated already (in another tab, or before a reload): then the thanks, not the form.
  function checkRated() {
    const asked = conversationId;
    rated = false;
    fetch(ratingUrl(), { headers: { "X-Conversation-Secret": secret || "" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((state) => { if (state && state.rated && asked === conversationId) markRated(); })
      .catch(() => { /* the form stays; a repeat is refused by the console and then shows the thanks */ });
  }

  function markRated() {
    rated = true;
    log.querySelectorAll(".rating-box").forEach((box) => {
      const hadFocus = box.contains(root.activeElement);
      box.replaceChildren(thanks());
      if (hadFocus) input.focus();
    });
  }

  function insertInOrder(row, id) {
    const after = Array.from(log.querySelectorAll(".msg[data-id]")).find((other) => Number(other.dataset.id) > id);
    const firstPending = log.querySelector(".msg.pending, .msg.failed");
    log.insertBefore(row, after || firstPending || null);
  }

  function receive(message, isNews) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    shown.set(message.id, message);
    lastId = Math.max(lastId, message.id);
    const row = messageRow(message);
    const pending = message.client_message_id && rows.get(message.client_message_id);
    if (message.sender === "customer") disableChoices();
    if (pending) {
      pending.replaceWith(row);
      rows.delete(message.client_message_id);
    } else {
      insertInOrder(row, message.id);
    }
    if (message.sender !== "customer" && !isOpen && isNews) { unread += 1; showBadge(); }
    log.scrollTop = log.scrollHeight;
  }

  function pendingRow(item) {
    const row = el("div", "msg msg-customer pending");
    row.append(linkified(item.text), el("span", "state", connected ? "sending…" : "waiting for connection"));
    rows.set(item.client_message_id, row);
    log.append(row);
    log.scrollTop = log.scrollHeight;
  }

  function markFailed(clientId, text) {
    const row = rows.get(clientId);
    if (!row) return;
    row.classList.remove("pending");
    row.classList.add("failed");
    const state = row.querySelector(".state");
    if (state) state.textContent = text;
    rows.delete(clientId);
  }

  // --- the nudge: asked once per page; the console marks it shown, so it is never shown twice -------
  function askForNudge() {
    if (!config.token) return;
    fetch(`${server}/api/widget/nudge`, { method: "POST", headers: { "Content-Type": "application/json" },
                                          body: JSON.stringify({ customer_token: config.token }) })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => { if (answer && answer.nudge && typeof answer.nudge.text === "string") showNudge(answer.nudge.text); })
      .catch(() => { /* no note then; the chat works as ever */ });
  }

  function showNudge(text) {
    const note = el("div", "msg msg-nudge", text);
    log.insertBefore(note, log.querySelector(".msg[data-id], .msg.pending, .msg.failed"));
    if (isOpen) return;
    teaserText.textContent = text;
    teaser.hidden = false;
  }

  // --- the outbox: every message waits here until the console acknowledges it -----------------
  function outbox() { return stored(keys.outbox, []); }

  function dropFromOutbox(clientId) {
    store(keys.outbox, outbox().filter((item) => item.client_message_id !== clientId));
  }

  function transmit(item) {
    if (!socket || !connected) return;
    const frame = { text: item.text, client_message_id: item.client_message_id };
    if (config.token) frame.customer_token = config.token;
    if (item.payload) frame.payload = item.payload;
    socket.send(JSON.stringify(frame));
    showTyping(true);
  }

  function send(text, payload) {
    const clean = text.trim();
    if (!clean) return;
    const item = { text: clean.slice(0, MAX_CHARS), client_message_id: newId(), payload: payload || null };
    if (!payload) keepOwn("c", item.client_message_id, item.text);
    store(keys.outbox, outbox().concat([item]));
    pendingRow(item);
    disableChoices();
    transmit(item);
  }

  function onAck(frame) {
    if (frame.conversation_secret) { secret = frame.conversation_secret; store(keys.secret, secret); }
    dropFromOutbox(frame.client_message_id);
    showTyping(false);
    const row = rows.get(frame.client_message_id);
    if (row) { row.classList.remove("pending"); const state = row.querySelector(".state"); if (state) state.remove(); }
    if (frame.own_texts && typeof frame.own_texts === "object") {
      Object.keys(frame.own_texts).forEach((id) => {
        if (typeof frame.own_texts[id] !== "string") return;
        keepOwn("m", id, frame.own_texts[id]);
        redraw(Number(id));
      });
    }
    if (frame.identity_refused && config.token) {
      console.warn(`kizuna: customer token refused (${frame.identity_refused}); chatting anonymously`);
      config.token = "";
    }
  }

  // A message already on screen with the stored (masked) text gets the customer's own text.
  function redraw(id) {
    const message = shown.get(id);
    const old = message && log.querySelector(`.msg[data-id="${id}"]`);
    if (!old || ownText(message) === message.text) return;
    const row = messageRow(message);
    if (old.querySelector(".choices button:disabled")) row.querySelectorAll(".choices button").forEach((b) => { b.disabled = true; });
    old.replaceWith(row);
  }

  function onError(frame) {
    console.warn("kizuna:", frame.code, frame.message);
    if (frame.code === "sign_in_again") {  // the customer's token expired or is gone: their chat is not ours to go on with
      config.token = "";
      startOver(true);
      return;
    }
    if (!frame.client_message_id) return;
    dropFromOutbox(frame.client_message_id);
    showTyping(false);
    markFailed(frame.client_message_id, frame.message || "not sent");
  }

  // --- the live connection ----------------------------------------------------------------------
  function connect() {
    clearTimeout(retryTimer);
    if (socket) return;
    const url = new URL(`${server}/api/conversations/${encodeURIComponent(conversationId)}/live`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("after", String(lastId));
    let ws;
    try { ws = new WebSocket(url.href); } catch (e) { scheduleReconnect(); return; }
    socket = ws;
    helloTimer = setTimeout(() => ws.close(), 10000);
    // The secret goes in the first frame, never in the URL (URLs end up in logs).
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "auth", conversation_secret: secret || null })));
    ws.addEventListener("message", (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "hello") onHello(frame);
      else if (frame.type === "message" && frame.message) receive(frame.message, !frame.replay || replayIsNews);
      else if (frame.type === "status") setStatus(frame.status, frame.agent, frame);
      else if (frame.type === "rating" && frame.rated) markRated();
      else if (frame.type === "ack") onAck(frame);
      else if (frame.type === "error") onError(frame);
    });
    ws.addEventListener("close", (event) => {
      clearTimeout(helloTimer);
      if (socket !== ws) return;
      socket = null;
      connected = false;
      showTyping(false);
      if (event.code === UNKNOWN_CONVERSATION) { startOver(true); return; }  // gone, or its secret was lost: unsent messages go to a new one
      connection.hidden = false;
      scheduleReconnect();
    });
  }

  // Leave the current conversation (its transcript leaves the screen) and connect to a new one.
  function startOver(keepOutbox) {
    if (socket) { const old = socket; socket = null; old.close(); }
    clearTimeout(retryTimer);
    clearTimeout(helloTimer);
    connected = false;
    beginConversation(keepOutbox);
    log.replaceChildren();
    showGreeting();
    seen.clear();
    shown.clear();
    rows.clear();
    lastId = 0;
    hadHello = false;
    replayIsNews = false;
    unread = 0;
    showBadge();
    showTyping(false);
    status = "bot";
    agent = null;
    followUp = false;
    rated = null;
    showBanner("");
    outbox().forEach(pendingRow);
    attempts = 0;
    connect();
  }

  function onHello(frame) {
    clearTimeout(helloTimer);
    replayIsNews = hadHello;
    hadHello = true;
    connected = true;
    attempts = 0;
    connection.hidden = true;
    setStatus(frame.status, frame.agent, frame);
    outbox().forEach(transmit);
    rows.forEach((row) => { const state = row.querySelector(".state"); if (state) state.textContent = "sending…"; });
    if (!readyFired) {
      readyFired = true;
      const detail = { ms: performance.now() };
      window.dispatchEvent(new CustomEvent("kizuna:ready", { detail }));
      resolveReady(detail);
    }
  }

  function scheduleReconnect() {
    clearTimeout(retryTimer);
    const delay = Math.min(15000, 500 * 2 ** attempts) * (0.75 + Math.random() * 0.5);
    attempts += 1;
    retryTimer = setTimeout(connect, delay);
  }

  // --- events -----------------------------------------------------------------------------------
  launcher.addEventListener("click", () => setOpen(!isOpen));
  teaserText.addEventListener("click", () => setOpen(true));
  dismiss.addEventListener("click", () => { teaser.hidden = true; launcher.focus(); });
  closeButton.addEventListener("click", () => { setOpen(false); launcher.focus(); });
  restartButton.addEventListener("click", () => { startOver(false); input.focus(); });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { setOpen(false); launcher.focus(); }
  });
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.value);
    input.value = "";
    updateCounter();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit ? composer.requestSubmit() : composer.dispatchEvent(new Event("submit"));
    }
  });
  function updateCounter() {
    counter.textContent = `${input.value.length}/${MAX_CHARS}`;
    if (input.value.length > MAX_CHARS - 200) counter.setAttribute("aria-live", "polite");
    else counter.removeAttribute("aria-live");
  }
  input.addEventListener("input", updateCounter);
  window.addEventListener("online", () => { if (!socket) { attempts = 0; connect(); } });
  document.addEventListener("visibilitychange", () => { if (!document.hidden && !socket) connect(); });

  window.kizunaWidget = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    newConversation: () => startOver(false),
    get conversationId() { return conversationId; },
    get connected() { return connected; },
    ready,
  };

  function start() {
    document.body.append(host);
    outbox().forEach(pendingRow);
    let wasOpen = false;
    try { wasOpen = sessionStorage.getItem(keys.open) === "1"; } catch (e) { wasOpen = false; }
    if (config.open || wasOpen) setOpen(true);
    connect();
    askForNudge();
  }

  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
