// amante: quick exit and streamed chat replies. Everything else works without this file.
"use strict";

(function quickExit() {
  const url = document.body.dataset.quickExit;
  const leave = (event) => {
    if (event) event.preventDefault();
    document.body.innerHTML = "";
    document.title = "";
    window.location.replace(url);
  };
  const link = document.getElementById("quick-exit");
  if (link) link.addEventListener("click", leave);
  let presses = [];
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    presses = presses.filter((t) => now - t < 1500).concat(now);
    if (presses.length >= 3) leave();
  });
})();

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function bubble(role, text) {
  const li = document.createElement("li");
  li.className = "msg " + role;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = role === "user" ? "You" : "amante";
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = text;
  li.append(who, body);
  document.getElementById("messages").append(li);
  li.scrollIntoView({ block: "end" });
  return body;
}

function techniques(list, parent) {
  if (!list || !list.length) return;
  const details = document.createElement("details");
  details.className = "why";
  const summary = document.createElement("summary");
  summary.textContent = "Why this reply?";
  const ul = document.createElement("ul");
  for (const t of list) {
    const li = document.createElement("li");
    li.textContent = `${t.title} (${t.source})`;
    ul.append(li);
  }
  details.append(summary, ul);
  parent.parentElement.append(details);
}

async function api(path, options) {
  const response = await fetch(path, {
    credentials: "same-origin",
    ...options,
    headers: { "content-type": "application/json", "x-csrf-token": csrfToken(), ...(options.headers || {}) },
  });
  if (!response.ok) {
    let message = `request failed (${response.status})`;
    try { message = (await response.json()).message || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function send(form, text) {
  let id = form.dataset.conversation;
  if (!id) {
    const created = await (await api("/api/v1/conversations", { method: "POST", body: "{}" })).json();
    id = created.id;
    form.dataset.conversation = id;
    form.action = `/chat/${id}`;
    history.replaceState(null, "", `/chat/${id}`);
  }
  bubble("user", text);
  const target = bubble("coach", "");
  target.setAttribute("aria-busy", "true");
  const response = await api(`/api/v1/conversations/${id}/messages?stream=true`, {
    method: "POST",
    body: JSON.stringify({ text }),
    headers: { accept: "text/event-stream" },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = (raw.match(/^event: (.*)$/m) || [])[1];
      const data = JSON.parse((raw.match(/^data: (.*)$/m) || [])[1] || "{}");
      if (event === "chunk") target.textContent += data.text;
      if (event === "replace") target.textContent = data.text;
      if (event === "done") {
        target.textContent = data.reply;
        techniques(data.techniques, target);
        if (data.safety && data.safety.level !== "none") target.parentElement.classList.add("safety");
      }
    }
  }
  target.removeAttribute("aria-busy");
  target.parentElement.scrollIntoView({ block: "end" });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("composer");
  if (!form || !window.fetch || !window.TextDecoder) return;
  const textarea = form.querySelector("textarea");
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    const button = form.querySelector("button");
    button.disabled = true;
    textarea.value = "";
    try {
      await send(form, text);
    } catch (error) {
      textarea.value = text;
      const p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = error.message;
      form.before(p);
    } finally {
      button.disabled = false;
      textarea.focus();
    }
  });
});
