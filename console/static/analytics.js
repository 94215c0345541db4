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

staff.start("/analytics").then(() => {
  document.getElementById("days").addEventListener("change", show);
  show();
});
