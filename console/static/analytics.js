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

staff.start("/analytics").then(() => {
  document.getElementById("days").addEventListener("change", show);
  show();
});
