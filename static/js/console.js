// The API console (templates/console/index.html), enhanced: an example fills the body at once,
// a form is sent with fetch and its answer shown in place, announced by the live region.
// Without this script every form still works by full page submission.
"use strict";

function chooseExample(select) {
  const operation = select.dataset.consoleExamples;
  const form = document.querySelector(`[data-console-form="${operation}"]`);
  const body = document.querySelector(`[data-console-body="${operation}/${select.value}"]`);
  form.querySelector("textarea[name=body]").value = body.content.textContent;
  form.querySelector("input[name=example]").value = select.value;
  for (const snippets of document.querySelectorAll(`[data-console-snippets^="${operation}/"]`)) {
    snippets.hidden = snippets.dataset.consoleSnippets !== `${operation}/${select.value}`;
  }
}

async function send(form) {
  const operation = form.dataset.consoleForm;
  const status = document.getElementById(`status-${operation}`);
  const answer = document.getElementById(`answer-${operation}`);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  status.textContent = "";
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) {
      throw new Error(`unexpected answer ${response.status}`);
    }
    const shown = await response.json();
    answer.innerHTML = shown.html; // rendered and escaped by the server's template
    status.textContent = shown.summary;
  } catch (error) {
    status.textContent = form.dataset.failed;
  } finally {
    button.disabled = false;
  }
}

function keepKeysTogether(source) {
  // One key for every form: typed once, it is in each (never stored anywhere).
  for (const key of document.querySelectorAll("[data-console-key]")) {
    if (key !== source) key.value = source.value;
  }
}

async function copySnippet(button) {
  // The snippet is the <pre> just before its button; the live region says it is copied.
  await navigator.clipboard.writeText(button.previousElementSibling.textContent);
  document.getElementById(`status-${button.dataset.consoleCopy}`).textContent = button.dataset.copied;
}

if (navigator.clipboard) {
  for (const button of document.querySelectorAll("[data-console-copy]")) {
    button.hidden = false; // copying needs this script: without it, the button stays hidden
    button.addEventListener("click", () => copySnippet(button));
  }
}
for (const select of document.querySelectorAll("[data-console-examples]")) {
  select.addEventListener("change", () => chooseExample(select));
  const load = select.form.querySelector("[data-console-load]");
  if (load) load.hidden = true; // the choice applies at once: no button needed
}
for (const form of document.querySelectorAll("[data-console-form]")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}
for (const key of document.querySelectorAll("[data-console-key]")) {
  key.addEventListener("input", () => keepKeysTogether(key));
}
