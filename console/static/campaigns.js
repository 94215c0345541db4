// Campaigns: the list, the rule form, the audience preview, runs and results, and delivery problems.
// Everything is put on the page with textContent (staff.el), never as markup.
const form = document.getElementById("editor");
const RULE_NUMBERS = ["min_days_since_order", "max_days_since_order", "min_value_12m", "min_orders"];
const RULE_PERCENTS = ["min_churn_probability", "max_churn_probability"];
const REASONS = { cooldown: "offered something recently (cool-down)", no_consent: "no consent to marketing e-mail",
                  no_fitting_offer: "no fitting offer", budget: "over the daily budget", low_gain: "expected gain too low",
                  churn_risk_low: "churn risk too low", not_scored: "not scored yet", erased: "personal data erased",
                  already_contacted: "already contacted today", campaign_paused: "campaign paused during the run" };
let campaigns = [];
let selected = null;
let currency = null;  // the shop's, from the options
let defaults = {};  // a new campaign's holdout share and daily budget, from the options

const { share, points } = staff.figures;
const money = (value) => staff.figures.amount(value, currency);
const signedMoney = (value) => staff.figures.change(value, currency);
const number = (value) => (value === null || value === undefined ? "–" : String(value));

function cell(text, className) { return staff.el("td", className || "", text); }

function button(label, onClick, className) {
  const node = staff.el("button", className || "", label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function showError(problem) { document.getElementById("error").textContent = problem ? problem.message || String(problem) : ""; }

// --- the list ---------------------------------------------------------------------------------
async function loadCampaigns() {
  const body = await staff.api("GET", "/api/campaigns");
  campaigns = body.campaigns;
  document.getElementById("no-campaigns").hidden = campaigns.length > 0;
  fill("campaigns", campaigns.map(campaignRow));
}

function campaignRow(campaign) {
  const tr = staff.el("tr");
  if (selected && selected.id === campaign.id) tr.className = "selected";
  const run = campaign.last_run;
  const lastRun = run ? `${staff.when(run.started_at)} (${run.status})` : "never";
  const contacted = run && run.summary ? number(run.summary.treatment) : "–";
  const nameCell = staff.el("td");
  const open = button(campaign.name, () => select(campaign.id), "link");
  open.title = "Open this campaign";
  nameCell.append(open);
  const statusCell = staff.el("td");
  statusCell.append(staff.el("span", `status status-${campaign.status}`, campaign.status));
  tr.append(nameCell, cell(campaign.channel === "widget" ? "chat widget" : "e-mail"), statusCell, cell(lastRun), cell(contacted, "number"));
  return tr;
}

// On a phone each row of a .stack table is a small card; its cells carry their column's name.
function fill(tbodyId, rows) {
  const tbody = document.getElementById(tbodyId);
  tbody.replaceChildren(...rows);
  const headers = Array.from(tbody.closest("table").querySelectorAll("thead th")).map((th) => th.textContent);
  tbody.querySelectorAll("tr").forEach((tr) => {
    Array.from(tr.children).forEach((td, index) => { if (headers[index] && td.colSpan === 1) td.dataset.label = headers[index]; });
  });
}

// --- the form ---------------------------------------------------------------------------------
async function loadOptions() {
  const options = await staff.api("GET", "/api/campaigns/options");
  currency = options.currency;
  defaults = options.defaults;
  document.getElementById("tiers").replaceChildren(...options.tiers.map((tier) => check("tiers", tier, tier)));
  document.getElementById("segments").replaceChildren(...options.segments.map((segment) => check("segments", segment, segment.replace("_", " "))));
  document.getElementById("offers").replaceChildren(...options.offers.map((offer) => {
    const label = check("offer_ids", offer.id, `${offer.id} (${offer.kind.replace("_", " ")}, costs ${money(offer.cost)})`);
    label.append(staff.el("span", "offer-text", offer.text));
    return label;
  }));
}

function check(name, value, text) {
  const label = staff.el("label");
  const box = staff.el("input");
  box.type = "checkbox";
  box.name = name;
  box.value = value;
  label.append(box, staff.el("span", "", text));
  return label;
}

function ticked(name) { return Array.from(form.querySelectorAll(`input[name="${name}"]:checked`)).map((box) => box.value); }

// Empty fields stay out of the rule; a typed value that is not a number goes as text, so the console names it.
function fieldValue(name, scale) {
  const raw = form.elements[name].value.trim();
  if (raw === "") return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value / (scale || 1) : raw;
}

function ruleFromForm() {
  const rule = {};
  RULE_PERCENTS.forEach((name) => { const value = fieldValue(name, 100); if (value !== undefined) rule[name] = value; });
  RULE_NUMBERS.forEach((name) => { const value = fieldValue(name); if (value !== undefined) rule[name] = value; });
  if (form.elements.min_tier.value) rule.min_tier = form.elements.min_tier.value;
  const tiers = ticked("tiers"), segments = ticked("segments");
  if (tiers.length) rule.tiers = tiers;
  if (segments.length) rule.segments = segments;
  return rule;
}

function draftFromForm() {
  const offers = ticked("offer_ids");
  const id = form.elements.id.value;
  return {  // an empty holdout or budget is left out: the console's default applies
    campaign_id: id ? Number(id) : null,
    rule: ruleFromForm(),
    channel: form.elements.channel.value,
    offer_ids: offers.length ? offers : null,
    holdout_share: fieldValue("holdout_share", 100),
    daily_budget: fieldValue("daily_budget"),
  };
}

function campaignFromForm() {
  const { campaign_id: _saved, ...settings } = draftFromForm();
  return { name: form.elements.name.value.trim(), description: form.elements.description.value.trim() || null, ...settings };
}

function showRuleJson() { document.getElementById("rule-json").textContent = JSON.stringify(ruleFromForm(), null, 2); }

function fillForm(campaign) {
  form.reset();
  form.elements.id.value = campaign ? campaign.id : "";
  document.getElementById("editor-title").textContent = campaign ? `Campaign: ${campaign.name}` : "New campaign";
  const limits = campaign || defaults;
  form.elements.holdout_share.value = Math.round(limits.holdout_share * 100);
  form.elements.daily_budget.value = limits.daily_budget;
  if (campaign) {
    const rule = campaign.rule || {};
    form.elements.name.value = campaign.name;
    form.elements.description.value = campaign.description || "";
    form.elements.channel.value = campaign.channel;
    RULE_PERCENTS.forEach((name) => { form.elements[name].value = rule[name] === undefined ? "" : Math.round(rule[name] * 1000) / 10; });
    RULE_NUMBERS.forEach((name) => { form.elements[name].value = rule[name] === undefined ? "" : rule[name]; });
    form.elements.min_tier.value = rule.min_tier || "";
    form.querySelectorAll('input[name="tiers"]').forEach((box) => { box.checked = (rule.tiers || []).includes(box.value); });
    form.querySelectorAll('input[name="segments"]').forEach((box) => { box.checked = (rule.segments || []).includes(box.value); });
    form.querySelectorAll('input[name="offer_ids"]').forEach((box) => { box.checked = (campaign.offer_ids || []).includes(box.value); });
  }
  clearErrors();
  showRuleJson();
  showButtons(campaign);
}

function showButtons(campaign) {
  const status = campaign ? campaign.status : null;
  document.getElementById("save").textContent = campaign ? "Save changes" : "Save draft";
  document.getElementById("approve").hidden = !campaign || status === "active";
  document.getElementById("pause").hidden = status !== "active";
  document.getElementById("run").hidden = status !== "active";
  const line = !campaign ? "Not saved yet."
    : status === "active" ? `Approved by ${campaign.approved_by || "–"} on ${staff.when(campaign.approved_at)}; runs every night.`
    : status === "paused" ? "Paused: it does not run until approved again."
    : "Draft: approve it to let it run. Saving changes to an approved campaign makes it a draft again.";
  document.getElementById("status-line").textContent = line;
}

// --- errors next to their fields --------------------------------------------------------------
function clearErrors() {
  form.querySelectorAll(".field-error").forEach((node) => { node.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  document.getElementById("form-error").textContent = "";
}

// The console names the field ("rule.min_tier", "body.holdout_share"); the message goes under it, or under the form.
function showProblem(problem) {
  clearErrors();
  const details = problem.details && problem.details.length ? problem.details : [{ field: problem.field || "", message: problem.message }];
  let placed = false;
  details.forEach((detail) => {
    const field = String(detail.field || "").replace(/^body\./, "").replace(/\.\d+$/, "");
    const slot = form.querySelector(`.field-error[data-for="${CSS.escape(field)}"]`);
    if (!slot) return;
    slot.textContent = detail.message;
    const input = form.elements[field.replace(/^rule\./, "")];
    if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
    placed = true;
  });
  if (!placed) document.getElementById("form-error").textContent = problem.message;
}

// --- actions ----------------------------------------------------------------------------------
async function save(event) {
  event.preventDefault();
  const id = form.elements.id.value;
  try {
    const campaign = await staff.api(id ? "PUT" : "POST", id ? `/api/campaigns/${id}` : "/api/campaigns", campaignFromForm());
    selected = campaign;
    fillForm(campaign);
    document.getElementById("status-line").textContent = `Saved. ${document.getElementById("status-line").textContent}`;
    await loadCampaigns();
  } catch (problem) {
    showProblem(problem);
  }
}

async function preview() {
  try {
    clearErrors();
    const result = await staff.api("POST", "/api/campaigns/preview", draftFromForm());
    showPreview(result);
  } catch (problem) {
    showProblem(problem);
  }
}

async function change(action) {
  const id = form.elements.id.value;
  if (!id) return;
  try {
    clearErrors();
    if (action === "run") {
      document.getElementById("status-line").textContent = "Running…";
      const result = await staff.api("POST", `/api/campaigns/${id}/run`);
      const summary = result.run || {};
      document.getElementById("status-line").textContent =
        `Run done: ${number(summary.treatment)} contacted, ${number(summary.holdout)} in the holdout` +
        (summary.already_contacted ? `, ${summary.already_contacted} already contacted today.` : ".");
    } else {
      selected = await staff.api("POST", `/api/campaigns/${id}/${action}`);
      fillForm(selected);
    }
    await loadCampaigns();
    await loadResults(Number(id));
  } catch (problem) {
    showProblem(problem);
  }
}

async function select(id) {
  selected = campaigns.find((campaign) => campaign.id === id) || null;
  fillForm(selected);
  fill("campaigns", campaigns.map(campaignRow));
  document.getElementById("preview-card").hidden = true;
  await loadResults(id);
  document.getElementById("editor-title").scrollIntoView({ behavior: "smooth", block: "start" });
}

// --- the preview ------------------------------------------------------------------------------
function figure(label, value) {
  const box = staff.el("div");
  box.append(staff.el("dt", "", label), staff.el("dd", "", value));
  return box;
}

function countRows(counts, names) {
  const entries = Object.entries(counts || {}).filter(([, count]) => count);
  if (!entries.length) return [emptyRow(2, "none")];
  return entries.sort((a, b) => b[1] - a[1]).map(([key, count]) => {
    const tr = staff.el("tr");
    tr.append(cell(names && names[key] ? names[key] : key.replace(/_/g, " ")), cell(count, "number"));
    return tr;
  });
}

function emptyRow(columns, text) {
  const tr = staff.el("tr");
  const td = cell(text, "hint");
  td.colSpan = columns;
  tr.append(td);
  return tr;
}

function showPreview(result) {
  document.getElementById("preview-card").hidden = false;
  document.getElementById("preview-figures").replaceChildren(
    figure("Customers matching", number(result.audience)),
    figure("Would be contacted", number(result.treatment)),
    figure("Holdout", number(result.holdout)),
    figure("Expected cost", money(result.expected_cost)),
    figure("Expected gain", money(result.expected_gain)),
    figure("Contacted today already", number(result.already_contacted)),
  );
  const later = document.getElementById("send-after");
  later.textContent = result.send_after ? `Quiet hours: e-mail of a run now would leave at ${staff.when(result.send_after)}.` : "";
  document.getElementById("by-tier").replaceChildren(...countRows(result.by_tier));
  document.getElementById("by-segment").replaceChildren(...countRows(result.by_segment));
  document.getElementById("by-offer-preview").replaceChildren(...countRows(result.by_offer));
  document.getElementById("skipped").replaceChildren(...countRows(result.skipped, REASONS));
  document.getElementById("preview-title").scrollIntoView({ behavior: "smooth", block: "start" });
}

// --- runs and results -------------------------------------------------------------------------
async function loadResults(id) {
  const body = await staff.api("GET", `/api/campaigns/${id}/results`);
  document.getElementById("results-card").hidden = false;
  fill("runs", body.runs.length ? body.runs.map(runRow) : [emptyRow(7, "no runs yet")]);
  showReport(body.report);
}

function runRow(run) {
  const summary = run.summary || {};
  const left = Object.values(summary.skipped || {}).reduce((sum, count) => sum + count, 0);
  const tr = staff.el("tr");
  tr.append(cell(staff.when(run.started_at)), cell(run.trigger), cell(run.started_by), cell(run.error ? `${run.status}: ${run.error}` : run.status),
            cell(number(summary.treatment), "number"), cell(number(summary.holdout), "number"), cell(left, "number"));
  return tr;
}

function showReport(report) {
  const uplift = document.getElementById("uplift");
  const arms = report ? report.arms : {};
  const contacted = report ? arms.treatment.contacts + arms.holdout.contacts : 0;
  if (!contacted) {
    uplift.className = "uplift unclear";
    uplift.replaceChildren(staff.el("p", "", "No results yet: nobody has been contacted."));
    fill("arms", [emptyRow(8, "no contacts yet")]);
    fill("by-offer", [emptyRow(6, "no contacts yet")]);
    return;
  }
  const verdicts = [["Conversion", report.uplift.conversion, points], ["Revenue per customer", report.uplift.revenue_per_customer, signedMoney]];
  uplift.className = verdicts.every(([, verdict]) => verdict.verdict === "too small to tell") ? "uplift unclear" : "uplift";
  uplift.replaceChildren(...verdicts.map(([label, verdict, show]) => upliftLine(label, verdict, show)));
  fill("arms", [armRow("treated", arms.treatment), armRow("holdout", arms.holdout)]);
  fill("by-offer", report.offers.map(offerRow));
}

// "Conversion: too small to tell: only 3 customers in the holdout arm (…); so far +1.0 pts, 95 % interval …"
// or "Conversion: +4.0 pts, higher with the offer (95 % interval +1.2 pts to +6.8 pts)."
function upliftLine(label, verdict, show) {
  const line = staff.el("p");
  line.append(staff.el("strong", "", `${label}: `));
  const measured = verdict.difference !== null && verdict.ci95 !== null;
  const interval = measured ? `95 % interval ${show(verdict.ci95[0])} to ${show(verdict.ci95[1])}` : "";
  if (verdict.verdict === "too small to tell") {
    const reason = verdict.reason.includes("interval") ? "" : `: ${verdict.reason}`;
    line.append(`too small to tell${reason}${measured ? `; so far ${show(verdict.difference)}, ${interval}` : ""}.`);
  } else {
    line.append(`${show(verdict.difference)}, ${verdict.verdict} (${interval}).`);
  }
  return line;
}

function armRow(label, figures) {
  const tr = staff.el("tr");
  tr.append(cell(label), cell(number(figures.contacts), "number"), cell(number(figures.sent), "number"),
            cell(number(figures.opened), "number"), cell(number(figures.clicked), "number"), cell(number(figures.redeemed), "number"),
            cell(`${figures.converted} (${share(figures.conversion)})`, "number"), cell(money(figures.revenue), "number"));
  return tr;
}

function offerRow(offer) {
  const treated = offer.arms.treatment;
  const tr = staff.el("tr");
  tr.append(cell(offer.offer_id), cell(number(treated.sent), "number"), cell(number(treated.opened), "number"),
            cell(number(treated.clicked), "number"), cell(number(treated.redeemed), "number"), cell(money(offer.cost.redeemed_offers), "number"));
  return tr;
}

// --- delivery problems ------------------------------------------------------------------------
async function loadProblems() {
  const [mail, hooks] = await Promise.all([staff.api("GET", "/api/outreach/parked-emails"), staff.api("GET", "/api/webhooks/dead-deliveries")]);
  fill("parked", mail.emails.length ? mail.emails.map(parkedRow) : [emptyRow(6, "none")]);
  fill("dead", hooks.deliveries.length ? hooks.deliveries.map(deadRow) : [emptyRow(6, "none")]);
}

function retryCell(url) {
  const td = staff.el("td");
  td.append(button("Retry", async (event) => {
    event.target.disabled = true;
    try { await staff.api("POST", url); await loadProblems(); } catch (problem) { showError(problem); event.target.disabled = false; }
  }));
  return td;
}

function parkedRow(email) {
  const tr = staff.el("tr");
  tr.append(cell(staff.when(email.created_at)), cell(email.to_address), cell(email.subject), cell(email.attempts, "number"),
            cell(email.last_error || "–", "error-text"), retryCell(`/api/outreach/parked-emails/${email.id}/retry`));
  return tr;
}

function deadRow(delivery) {
  const tr = staff.el("tr");
  tr.append(cell(staff.when(delivery.created_at)), cell(delivery.event_type), cell(delivery.endpoint_url), cell(delivery.attempts, "number"),
            cell(delivery.last_error || (delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : "–"), "error-text"),
            retryCell(`/api/webhooks/dead-deliveries/${delivery.id}/retry`));
  return tr;
}

// --- webhook endpoints ----------------------------------------------------------------------
const endpointForm = document.getElementById("endpoint-form");

async function loadEndpoints() {
  const body = await staff.api("GET", "/api/webhooks/endpoints");
  const types = document.getElementById("event-types");
  if (!types.children.length) types.replaceChildren(...body.event_types.map((type) => check("events", type, type)));
  fill("endpoints", body.endpoints.length ? body.endpoints.map(endpointRow) : [emptyRow(4, "none yet")]);
}

function endpointRow(endpoint) {
  const tr = staff.el("tr");
  const remove = staff.el("td");
  remove.append(button("Remove", async () => {
    try { await staff.api("DELETE", `/api/webhooks/endpoints/${endpoint.id}`); await loadEndpoints(); } catch (problem) { showError(problem); }
  }, "secondary"));
  tr.append(cell(endpoint.url, "url"), cell(endpoint.events.join(", ")), cell(endpoint.created_by), remove);
  return tr;
}

endpointForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("endpoint-error"), secret = document.getElementById("endpoint-secret");
  error.textContent = "";
  secret.hidden = true;
  try {
    const added = await staff.api("POST", "/api/webhooks/endpoints", {
      url: endpointForm.elements.url.value.trim(),
      events: Array.from(endpointForm.querySelectorAll('input[name="events"]:checked')).map((box) => box.value),
    });
    endpointForm.reset();
    secret.textContent = `Signing secret for ${added.url} (shown only now): ${added.secret}`;
    secret.hidden = false;
    await loadEndpoints();
  } catch (problem) {
    error.textContent = problem.message;
  }
});

// --- start ------------------------------------------------------------------------------------
form.addEventListener("submit", save);
form.addEventListener("input", showRuleJson);
form.addEventListener("change", showRuleJson);
document.getElementById("preview").addEventListener("click", preview);
document.getElementById("approve").addEventListener("click", () => change("approve"));
document.getElementById("pause").addEventListener("click", () => change("pause"));
document.getElementById("run").addEventListener("click", () => change("run"));
document.getElementById("clear-form").addEventListener("click", () => { selected = null; fillForm(null); loadCampaigns().catch(showError); });
document.getElementById("new").addEventListener("click", () => {
  selected = null;
  fillForm(null);
  document.getElementById("results-card").hidden = true;
  form.elements.name.focus();
});

(async () => {
  try {
    await staff.start("/campaigns");
    await loadOptions();
    fillForm(null);
    await loadCampaigns();
    await loadProblems();
    await loadEndpoints();
  } catch (problem) {
    showError(problem);
  }
})();
