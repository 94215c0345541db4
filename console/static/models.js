// The assistant's (NLU) and the sentiment model: the one serving now with its held-out figures, their versions with
// their figures, retraining with progress, rollback.
const POLL_MS = 2000;
const NAMES = { nlu: "assistant (NLU)", sentiment: "sentiment model" };
const FINISHED = new Set(["succeeded", "failed"]);
const COLUMNS = ["Version", "Status", "Created", "Training time", "Incremental", "Accuracy", "Macro-F1",
                 "Compared with (accuracy / macro-F1)", "Note"];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function figure(metrics, name) {
  const value = metrics && metrics.all ? metrics.all[name] : null;
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)} %`;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function comparedWith(version) {
  if (!version.compared_with) return "–";
  const base = version.baseline_metrics;
  return `${version.compared_with} (${figure(base, "accuracy")} / ${figure(base, "macro_f1")})`;
}

const CHOSEN = {
  promoted: "the version a retrain promoted",
  current_data: "the model of the current training data",
  newest_file: "the newest model file (none promoted, none of the current training data)",
  installed: "the model installed in its model directory",
  configured: "chosen by KIZUNA_SENTIMENT_MODEL",
};

function percent(value) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)} %`;
}

function fact(list, term, ...content) {
  const dd = staff.el("dd");
  dd.append(...content.map((part) => (typeof part === "string" ? document.createTextNode(part) : part)));
  list.append(staff.el("dt", "", term), dd);
}

function figuresTable(model) {
  if (!model.figures.length) {
    const none = staff.el("span", "", "not evaluated yet");
    if (model.evaluation_file && model.kind === "nlu") none.title = `figures appear once ${model.evaluation_file} is written`;
    return none;
  }
  const table = staff.el("table", "figures");
  const head = staff.el("tr");
  ["Set", "Accuracy", "Macro-F1", "Examples"].forEach((name) => head.append(staff.el("th", "", name)));
  table.append(staff.el("thead"), staff.el("tbody"));
  table.tHead.append(head);
  for (const figure of model.figures) {
    const tr = staff.el("tr");
    tr.append(staff.el("td", "", figure.label), staff.el("td", "number", percent(figure.accuracy)),
              staff.el("td", "number", percent(figure.macro_f1)),
              staff.el("td", "number", figure.n === null || figure.n === undefined ? "–" : figure.n.toLocaleString()));
    table.tBodies[0].append(tr);
  }
  return table;
}

function chosenText(model) {
  let text = CHOSEN[model.chosen] || model.chosen || "–";
  if (!model.registered && model.chosen !== "configured") text += " · not a registered version (no retrain has produced it)";
  else if (model.registered && model.chosen !== "promoted") text += ` · registered as ${model.registered.status.replace("_", " ")}`;
  return text;
}

function runningText(model) {
  const running = model.running;
  if (!running.answered) return "not running: it serves this model when it starts";
  return running.model_file ? `serves ${running.model_file}` : "running, no model loaded";
}

function servingBox(model) {
  const box = staff.el("div", "serving");
  box.append(staff.el("h3", "", "Serving now"));
  if (!model.version) {
    box.append(staff.el("p", "hint", model.note || "No model serves yet."));
    return box;
  }
  const list = staff.el("dl", "facts");
  fact(list, "Model", staff.el("code", "", model.version));
  if (model.file && model.file !== model.version) fact(list, "File", staff.el("code", "", model.file));
  fact(list, "Chosen as", chosenText(model));
  let trained = staff.when(model.trained_at);
  if (model.training_seconds) trained += ` in ${duration(model.training_seconds)}`;
  if (model.train_examples) trained += ` on ${model.train_examples.toLocaleString()} examples`;
  if (model.rasa_version) trained += ` (Rasa ${model.rasa_version})`;
  fact(list, "Trained", trained);
  fact(list, "Held-out figures", figuresTable(model));
  if (model.running) fact(list, "Running assistant", runningText(model));
  box.append(list);
  if (model.note) box.append(staff.el("p", "warning", model.note));
  return box;
}

function versionRow(version) {
  const tr = staff.el("tr");
  const status = staff.el("td");
  status.append(staff.el("span", `model-status status-${version.status}`, version.status.replace("_", " ")));
  tr.append(staff.el("td", "version", version.version), status, staff.el("td", "", staff.when(version.created_at)),
            staff.el("td", "number", duration(version.training_seconds)), staff.el("td", "", version.incremental ? "yes" : "no"),
            staff.el("td", "number", figure(version.metrics, "accuracy")), staff.el("td", "number", figure(version.metrics, "macro_f1")),
            staff.el("td", "", comparedWith(version)), staff.el("td", "note", version.note || ""));
  return tr;
}

function button(text, className) {
  const node = staff.el("button", className, text);
  node.type = "button";
  return node;
}

function outcome(job) {
  if (job.status === "failed") return `Retrain failed: ${job.error || job.stage}`;
  const result = job.result || {};
  const decision = { promoted: "Promoted: the new model serves now.", refused: "Refused: the serving model stays.",
                     unchanged: "Nothing to do." }[result.decision] || `Finished: ${job.stage}.`;
  return result.reason ? `${decision} ${result.reason}` : decision;
}

function kindPanel(section) {
  const kind = section.dataset.kind;
  const retrain = button("Retrain now");
  const force = staff.el("input");
  force.type = "checkbox";
  const forceLabel = staff.el("label", "", " promote even if worse");
  forceLabel.prepend(force);
  const rollback = button("Roll back", "secondary");
  const actions = staff.el("div", "actions");
  actions.append(retrain, forceLabel, rollback);
  const stage = staff.el("p", "job-stage");
  stage.setAttribute("role", "status");
  const progress = staff.el("progress");
  progress.max = 1;
  progress.hidden = true;
  progress.setAttribute("aria-label", `Progress of the ${NAMES[kind]} retrain`);
  const table = staff.el("table", "versions");
  const head = staff.el("tr");
  COLUMNS.forEach((name) => head.append(staff.el("th", "", name)));
  table.append(staff.el("thead"), staff.el("tbody"));
  table.tHead.append(head);
  const serving = staff.el("div");
  const versionsTitle = staff.el("h3", "", "Versions");
  const scroller = staff.el("div", "table-scroll");
  scroller.append(table);
  const noVersions = staff.el("p", "hint");
  section.append(serving, actions, stage, progress, versionsTitle, scroller, noVersions);
  let servingNow = null;

  async function loadServing() {
    try {
      servingNow = (await staff.api("GET", `/api/training/models/serving?kind=${kind}`)).models[0];
      serving.replaceChildren(servingBox(servingNow));
    } catch (problem) {
      serving.replaceChildren(staff.el("p", "error", `Could not tell which model serves: ${problem.message}`));
    }
  }

  async function loadVersions() {
    await loadServing();
    const body = await staff.api("GET", `/api/training/models?kind=${kind}`);
    table.tBodies[0].replaceChildren(...body.versions.map(versionRow));
    scroller.hidden = !body.versions.length;
    noVersions.textContent = body.versions.length ? "" : servingNow && servingNow.version
      ? "No retrain yet: the model above serves, and the first retrain registers it as a version."
      : "No versions yet: the first retrain registers the serving model.";
    const statuses = new Set(body.versions.map((version) => version.status));
    rollback.disabled = !(statuses.has("active") && statuses.has("retired"));
  }

  function show(job) {
    progress.hidden = false;
    progress.value = job.progress || 0;
    stage.textContent = FINISHED.has(job.status) ? outcome(job) : `Job ${job.id} (${job.status}): ${job.stage}`;
  }

  async function follow(job) {
    retrain.disabled = true;
    show(job);
    while (!FINISHED.has(job.status)) {
      await sleep(POLL_MS);
      try {
        job = await staff.api("GET", `/api/training/jobs/${job.id}`);
        show(job);
      } catch (problem) {
        stage.textContent = `Job ${job.id}: could not read its progress (${problem.message}); trying again.`;
      }
    }
    retrain.disabled = false;
    await loadVersions();
  }

  async function start() {
    retrain.disabled = true;
    try {
      await follow(await staff.api("POST", "/api/training/jobs", { kind, force: force.checked }));
    } catch (problem) {
      stage.textContent = `Could not start the retrain: ${problem.message}`;
      retrain.disabled = false;
    }
  }

  async function rollBack() {
    if (!confirm(`Roll back the ${NAMES[kind]}? The model that served before the current one serves again.`)) return;
    rollback.disabled = true;
    try {
      const result = await staff.api("POST", `/api/training/models/${kind}/rollback`);
      const later = result.loaded_by_running_assistant === false ? " (the assistant is not running: it starts with it)" : "";
      stage.textContent = `Rolled back ${result.rolled_back}; now serving ${result.serving}${later}.`;
    } catch (problem) {
      stage.textContent = `Could not roll back: ${problem.message}`;
    }
    await loadVersions();
  }

  async function resume() {
    const latest = (await staff.api("GET", `/api/training/jobs?kind=${kind}`)).jobs[0];
    if (latest && !FINISHED.has(latest.status)) await follow(latest);
    else if (latest) stage.textContent = `Last retrain (${latest.started_by}, ${staff.when(latest.finished_at)}): ${outcome(latest)}`;
  }

  retrain.addEventListener("click", start);
  rollback.addEventListener("click", rollBack);
  return { load: () => Promise.all([loadVersions(), resume()]) };
}

staff.start("/models").then(() => {
  for (const section of document.querySelectorAll("section.model-kind")) {
    kindPanel(section).load().catch((problem) => { document.getElementById("error").textContent = problem.message; });
  }
});
