// The workbench without page loads: decisions sent with fetch and their cards
// redrawn in place, the author's record in a side panel, one-key shortcuts.
// Every form also works without this script (the server answers with a
// redirect), and nothing here is inline, so a strict CSP allows it. Needs
// js/send_form.js, loaded before it.
(() => {
  "use strict";
  const root = document.querySelector("[data-workbench]");
  if (!root) return;
  const status = root.querySelector("[data-status]");
  const panel = document.getElementById("wb-panel");
  const panelBody = panel.querySelector("[data-panel-body]");
  const shortcuts = document.getElementById("wb-shortcuts");
  const helpButton = root.querySelector("[data-shortcuts]");
  helpButton.hidden = false;
  helpButton.addEventListener("click", () => shortcuts.showModal());

  const cards = () => [...root.querySelectorAll("[data-card]")];
  let current = null; // the card the shortcuts act on

  function focusCard(card) {
    if (!card) return;
    current = card;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "start" });
  }

  function move(step) {
    const list = cards();
    const index = list.indexOf(current);
    focusCard(index < 0 ? list[0] : list[index + step]);
  }

  function say(message, level, html = false) {
    // The server's messages are HTML it escaped itself; the script's own are text.
    if (html) status.innerHTML = message;
    else status.textContent = message;
    status.dataset.level = level;
  }

  function fromHTML(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  async function decide(form) {
    current = form.closest("[data-card]") || current;
    const sent = await window.newsroomSendForm(form, form.action);
    if (!sent) return;
    const { answer } = sent;
    say(answer.message, answer.level, true);
    for (const [slug, count] of Object.entries(answer.counts)) {
      const shown = root.querySelector(`[data-count="${slug}"]`);
      if (shown) shown.textContent = count;
    }
    let next = null;
    for (const [pk, html] of Object.entries(answer.cards)) {
      const card = document.getElementById(`card-${pk}`);
      if (!card) continue;
      if (html) {
        const fresh = fromHTML(html);
        card.replaceWith(fresh);
        if (card === current) next = fresh;
      } else {
        const list = cards();
        const index = list.indexOf(card);
        const neighbour = list.slice(index + 1).find((c) => !(c.dataset.card in answer.cards)) || list[index - 1];
        (card.closest("li") || card).remove();
        if (card === current || !next) next = neighbour;
      }
    }
    if (next && next.isConnected) focusCard(next);
    for (const box of root.querySelectorAll("[data-select]:checked")) box.checked = false;
  }

  async function showPanel(url, options = {}) {
    const response = await fetch(url, {
      credentials: "same-origin",
      ...options,
      headers: { "X-Fragment": "1", ...(options.headers || {}) },
    });
    panelBody.innerHTML = await response.text();
    if (!panel.open) panel.showModal();
    const title = panelBody.querySelector("h2");
    if (title) {
      title.tabIndex = -1;
      title.focus();
    }
  }

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-decision]")) {
      event.preventDefault();
      decide(form);
    } else if (form.matches("[data-status-form]")) {
      event.preventDefault();
      showPanel(form.action, { method: "POST", body: new FormData(form) });
    }
  });

  root.addEventListener("click", (event) => {
    const link = event.target.closest("[data-author]");
    if (!link) return;
    event.preventDefault();
    current = link.closest("[data-card]") || current;
    showPanel(link.href);
  });

  for (const dialog of [panel, shortcuts]) {
    dialog.addEventListener("close", () => current && focusCard(current));
  }

  const TYPING =
    "textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])";

  function act(card, key) {
    const inCard = (selector) => card && card.querySelector(selector);
    switch (key) {
      case "j":
        return move(1);
      case "k":
        return move(-1);
      case "a": {
        const form = inCard("[data-decision=approve]");
        return form ? decide(form) : say("This comment is approved already.", "info");
      }
      case "r": {
        const reason = inCard("[data-decision=reject] select");
        return reason ? reason.focus() : say("This comment is rejected already.", "info");
      }
      case "f": {
        const form = inCard("[data-decision=feature]");
        return form ? decide(form) : say("Only a published comment can be featured.", "info");
      }
      case "b": {
        const ban = inCard("[data-ban]");
        if (!ban) return say("This comment has no author left to ban.", "info");
        ban.open = true;
        return ban.querySelector("button").focus();
      }
      case "o": {
        const link = inCard("[data-author]");
        return link && showPanel(link.href);
      }
      case "x": {
        const box = inCard("[data-select]");
        if (box) box.checked = !box.checked;
        return;
      }
      case "?":
        return shortcuts.showModal();
      case "1":
      case "2":
      case "3":
      case "4":
      case "5":
      case "6": {
        const tab = root.querySelectorAll(".wb-tabs a")[Number(key) - 1];
        return tab && tab.click();
      }
      case "Escape":
        for (const open of root.querySelectorAll("details[open]")) open.open = false;
        return focusCard(card);
      default:
        return false;
    }
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.matches("[data-decision=reject] select") && event.key === "Enter") {
      // A menu does not send its form on Enter by itself.
      event.preventDefault();
      target.form.requestSubmit();
      return;
    }
    if (document.querySelector("dialog[open]")) return; // a dialog closes on Esc itself
    if (target.matches(TYPING)) {
      if (event.key === "Escape") focusCard(target.closest("[data-card]") || current);
      return;
    }
    const card = target.closest("[data-card]") || current;
    if (card) current = card;
    if (act(card, event.key) !== false) event.preventDefault();
  });
})();
