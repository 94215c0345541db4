// Analytics: server-drawn charts (SVG) and the offer table.
const CHARTS = [["conversations", "Conversations per day"], ["sentiment", "Average sentiment per day"],
                ["flags", "Flags and escalations per day"], ["offers", "Offers made and accepted by arm"]];

async function show() {
  const days = document.getElementById("days").value;
  const charts = document.getElementById("charts");
  charts.replaceChildren(...CHARTS.map(([name, label]) => {
    const image = staff.el("img");
    image.src = `/api/analytics/charts/${name}.svg?days=${days}`;
    image.alt = label;
    return image;
  }));
  showCsat(days);
  try {
    const body = await staff.api("GET", `/api/analytics?days=${days}`);
    document.getElementById("offers").replaceChildren(...body.offers.map((arm) => {
      const tr = staff.el("tr");
      const rate = arm.made ? `${Math.round((100 * arm.accepted) / arm.made)} %` : "–";
      tr.append(staff.el("td", "", arm.arm), staff.el("td", "number", arm.made), staff.el("td", "number", arm.accepted),
                staff.el("td", "number", arm.declined), staff.el("td", "number", rate));
      return tr;
    }));
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  }
}

// Customer satisfaction: the chart (bot-only against agent-handled per day) and the period's figures.
const CSAT_GROUPS = [["all", "All"], ["bot", "Bot-only"], ["agent", "Agent-handled"]];

async function showCsat(days) {
  const image = staff.el("img");
  image.src = `/api/analytics/csat.svg?days=${days}`;
  image.alt = "CSAT per day, bot-only and agent-handled";
  document.getElementById("csat-chart").replaceChildren(image);
  try {
    const body = await staff.api("GET", `/api/analytics/csat?days=${days}`);
    document.getElementById("csat").replaceChildren(...CSAT_GROUPS.map(([key, label]) => {
      const group = body.totals[key];
      const tr = staff.el("tr");
      tr.append(staff.el("td", "", label), staff.el("td", "number", group.ratings),
                staff.el("td", "number", group.csat === null ? "–" : `${Math.round(100 * group.csat)} %`),
                staff.el("td", "number", group.average === null ? "–" : group.average.toFixed(2)));
      return tr;
    }));
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  }
}

// Campaigns: treated against holdout per campaign (the chart with intervals, the table with the uplift and cost).
const { share, points, amount, change } = staff.figures;

function interval(uplift, show) {
  if (uplift.difference === null) return "–";
  const range = uplift.ci95 ? ` (${show(uplift.ci95[0])} to ${show(uplift.ci95[1])})` : "";
  return `${show(uplift.difference)}${range}`;
}

function campaignRow(campaign) {
  const treated = campaign.arms.treatment;
  const holdout = campaign.arms.holdout;
  const conversion = campaign.uplift.conversion;
  const contacted = treated.contacts + holdout.contacts > 0;
  const verdict = staff.el("td", "", contacted ? conversion.verdict : "no contacts yet");
  verdict.title = conversion.reason;
  const tr = staff.el("tr");
  tr.append(staff.el("td", "", campaign.name), staff.el("td", "number", `${treated.contacts} / ${holdout.contacts}`),
            staff.el("td", "number", `${treated.sent} · ${treated.opened} · ${treated.clicked}`),
            staff.el("td", "number", `${share(treated.conversion)} / ${share(holdout.conversion)}`),
            staff.el("td", "number", interval(conversion, points)), verdict,
            staff.el("td", "number", interval(campaign.uplift.revenue_per_customer, change)),
            staff.el("td", "number", treated.redeemed), staff.el("td", "number", amount(campaign.cost.redeemed_offers)));
  return tr;
}

async function showCampaigns() {
  const image = staff.el("img");
  image.src = "/api/analytics/campaigns.svg";
  image.alt = "Share of treated and held-out contacts who ordered within 30 days, per campaign, with 95 % intervals";
  document.getElementById("campaign-chart").replaceChildren(image);
  try {
    const body = await staff.api("GET", "/api/analytics/campaigns");
    const rows = body.campaigns.map(campaignRow);
    if (!rows.length) {
      const empty = staff.el("tr");
      const cell = staff.el("td", "", "No campaigns yet.");
      cell.colSpan = 9;
      empty.append(cell);
      rows.push(empty);
    }
    document.getElementById("campaigns").replaceChildren(...rows);
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  }
}

staff.start("/analytics").then(() => {
  document.getElementById("days").addEventListener("change", show);
  show();
  showCampaigns();
});
