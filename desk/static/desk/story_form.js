// The story form, live: the headline's counts follow the typing, the body editor
// spell-checks, and each photo's list of places follows the paragraphs in the
// editor. Without this script the form still works: the counts and the lists are
// those of the story as the page was sent.
"use strict";

// Code points, as the server's len() counts them (an emoji is one character).
const characters = (text) => [...text].length;

function keepCounting(note) {
  const input = document.getElementById(note.dataset.counts);
  const suffix = characters(note.dataset.titleSuffix);
  const headline = note.querySelector(".char-count__headline");
  const title = note.querySelector(".char-count__title");
  input.addEventListener("input", () => {
    const count = characters(input.value);
    headline.textContent = count;
    title.textContent = count + suffix;
  });
}

// The labels desk/widgets.py paragraph_label() gives, for the editor's top-level blocks.
function paragraphLabels(doc, shownWords) {
  const labels = [];
  doc.forEach((block) => {
    const number = labels.length + 1;
    const words = block.textBetween(0, block.content.size, " ", " ").split(/\s+/).filter(Boolean);
    const more = words.length > shownWords ? "…" : "";
    labels.push(
      words.length ? `After ¶${number}: ${words.slice(0, shownWords).join(" ")}${more}` : `After ¶${number}`,
    );
  });
  return labels;
}

// Keeps the first two options (the end of the story, before its first paragraph;
// desk/widgets.py FIXED_PLACES) and the choice made, even when its paragraph has
// gone: the server then says what is wrong with it.
const FIXED_PLACES = 2;

function offerParagraphs(select, labels) {
  const chosen = select.value;
  while (select.options.length > FIXED_PLACES) {
    select.remove(FIXED_PLACES);
  }
  labels.forEach((label, index) => select.add(new Option(label, String(index + 1))));
  if (chosen && Number(chosen) > labels.length) {
    select.add(new Option(`After ¶${chosen} (not in the story)`, chosen));
  }
  select.value = chosen;
}

function followParagraphs(editor) {
  let offered = "";
  const refresh = () => {
    // The empty form the admin copies for "Add another" is among these, so a new
    // placement starts with the paragraphs as they are now.
    const selects = document.querySelectorAll("select[data-paragraph-words]");
    if (!selects.length) {
      return;
    }
    const labels = paragraphLabels(editor.state.doc, Number(selects[0].dataset.paragraphWords));
    const key = labels.join("\n");
    if (key !== offered) {
      offered = key;
      selects.forEach((select) => offerParagraphs(select, labels));
    }
  };
  editor.on("update", refresh);
  refresh();
}

// The name a screen reader gives a field: its label, or the aria-label a table's
// column gave it (desk/admin.py LabelledColumns).
function fieldName(field) {
  const label = document.querySelector(`label[for="${field.id}"]`);
  return field.getAttribute("aria-label") || (label ? label.textContent.replace(/:\s*$/, "").trim() : "");
}

// Select2, the admin's autocomplete box, names its box after the choice shown,
// so an empty box has no name at all; it gets the field's. Select2 builds its
// boxes after the page has loaded, and again for each row added, hence the watch.
function nameAutocompleteBoxes() {
  document.querySelectorAll("select.admin-autocomplete + .select2").forEach((box) => {
    const name = fieldName(box.previousElementSibling);
    box.querySelectorAll("[role=combobox], [role=textbox], .select2-search__field").forEach((control) => {
      if (name && control.getAttribute("aria-label") !== name) {
        control.removeAttribute("aria-labelledby");
        control.setAttribute("aria-label", name);
      }
    });
  });
}

// The editor announces itself once its script has built it from the textarea.
document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail;
  if (textarea.name !== "body") {
    return;
  }
  editor.view.dom.setAttribute("spellcheck", "true");
  editor.view.dom.setAttribute("aria-label", fieldName(textarea));
  followParagraphs(editor);
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".char-count[data-counts]").forEach(keepCounting);
  nameAutocompleteBoxes();
  // Typing in the body editor changes the page too; that needs no new names.
  new MutationObserver((changes) => {
    if (changes.some((change) => !change.target.closest(".prose-editor"))) {
      nameAutocompleteBoxes();
    }
  }).observe(document.body, { childList: true, subtree: true });
});
