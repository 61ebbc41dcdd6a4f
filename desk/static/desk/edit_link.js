// Fills the Edit link on a story page for staff who may edit the story. The
// page is the same cached HTML for everyone; only a browser carrying the
// desk's hint cookie asks the desk (desk/edit_link.py explains why).
(function () {
  "use strict";
  var place = document.querySelector(".edit-link[data-can-edit]");
  if (!place) return;
  var hint = new RegExp("(^|;\\s*)" + place.dataset.hintCookie + "=");
  if (!hint.test(document.cookie)) return;
  fetch(place.dataset.canEdit, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (answer) {
      if (!answer || !answer.url) return;
      var link = document.createElement("a");
      link.href = answer.url;
      link.textContent = "Edit this story";
      place.append(link);
      place.hidden = false;
    })
    .catch(function () {
      // No link then: the desk is a click away in any case.
    });
})();
