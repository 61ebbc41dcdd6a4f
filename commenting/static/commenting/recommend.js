// Recommend buttons without a page load: the form is sent with fetch and the
// button's pressed state and the count are updated in place. Without this
// script the same form posts and the server redirects back to the comment;
// nothing here is inline, so the site's strict CSP allows it. Needs
// js/send_form.js, loaded before it.
(() => {
  "use strict";

  function refuse(form, message) {
    let note = form.querySelector(".recommend__error");
    if (!note) {
      note = document.createElement("span");
      note.className = "recommend__error";
      note.setAttribute("role", "alert");
      form.append(note);
    }
    note.textContent = message;
  }

  async function send(form) {
    const button = form.querySelector("button");
    // The field named "action" hides the form's own `action` property.
    const action = form.elements.action;
    const sent = await window.newsroomSendForm(form, form.getAttribute("action"));
    if (!sent) return;
    const { response, answer } = sent;
    if (!response.ok) {
      refuse(form, answer.error);
      return;
    }
    form.querySelector(".recommend__error")?.remove();
    button.setAttribute("aria-pressed", String(answer.recommended));
    action.value = answer.recommended ? "withdraw" : "recommend";
    form.querySelector("[data-count]").textContent = answer.label;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-recommend]");
    if (!form) return;
    event.preventDefault();
    // A second press while the first is on its way would only be refused.
    if (form.dataset.busy) return;
    form.dataset.busy = "true";
    send(form).finally(() => delete form.dataset.busy);
  });
})();
