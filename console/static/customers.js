// Staff list of customers with risk, value, tier and segment. Text is set with textContent only.
const rows = document.getElementById("rows");
const error = document.getElementById("error");
const filters = document.getElementById("filters");
const more = document.getElementById("more");
const PAGE = 50;
let offset = 0;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function riskCell(probability) {
  const td = cell("", "number");
  if (probability === null) { td.textContent = "–"; return td; }
  const bar = document.createElement("span");
  bar.className = "bar";
  bar.style.width = `${Math.round(probability * 60)}px`;
  td.append(bar, `${Math.round(probability * 100)} %`);
  return td;
}

function addRow(customer) {
  const tr = document.createElement("tr");
  const value = customer.predicted_value_12m === null ? "–" : customer.predicted_value_12m.toFixed(0);
  tr.append(cell(customer.customer_id), cell(customer.name), riskCell(customer.churn_probability),
            cell(value, "number"), cell(customer.tier, `tier-${customer.tier}`), cell(customer.segment));
  rows.append(tr);
}

async function load(reset) {
  if (reset) { offset = 0; rows.replaceChildren(); }
  const query = new URLSearchParams({ limit: PAGE, offset });
  for (const [key, value] of new FormData(filters)) if (value) query.set(key, value);
  error.textContent = "";
  try {
    const response = await fetch(`/api/customers?${query}`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    body.customers.forEach(addRow);
    offset += body.customers.length;
    more.hidden = body.customers.length < PAGE;
  } catch (problem) {
    error.textContent = `Could not load customers: ${problem.message}`;
  }
}

filters.addEventListener("change", () => load(true));
more.addEventListener("click", () => load(false));
load(true);
