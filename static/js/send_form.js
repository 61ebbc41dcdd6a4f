// Sending a form with fetch and reading its JSON answer, for the scripts that
// spare a page load (recommend.js, workbench.js). Whatever is not such an
// answer (a lost connection, an ended session, a refused token) sends the form
// as a page would, so the server can say what happened; the caller then gets
// null and has nothing to redraw.
window.newsroomSendForm = async (form, url) => {
  "use strict";
  try {
    const response = await fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    return { response, answer: await response.json() };
  } catch {
    form.submit();
    return null;
  }
};
