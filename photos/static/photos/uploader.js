// The photo desk's uploader: drop or choose several files and each goes up on
// its own request (so one bad or slow file never holds up or loses the
// others), with its own progress bar, state and error. Without this script
// the same form posts all the files at once, and the page lists the problems.
(function () {
  "use strict";

  // One upload in flight at a time, the rest waiting their turn (as WordPress's
  // uploader does): the files share the connection either way, and each
  // finishes sooner, so the first photos are ready while the rest go up.
  var AT_ONCE = 1;
  var POLL_MS = 2000; // how often a processing photo is asked about
  var POLL_TIMES = 90; // then the row says to look in the photo list

  function setup(form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector(".uploader-drop");
    var credit = form.querySelector('input[name="credit"]');
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
    var list = document.createElement("ul");
    var waiting = [];
    var running = 0;

    list.className = "uploader-list";
    list.setAttribute("aria-live", "polite");
    list.setAttribute("aria-label", "Uploads");
    form.after(list);
    zone.classList.add("uploader-ready");
    var hint = document.createElement("p");
    hint.className = "uploader-hint";
    hint.textContent = "Drop photos here, or choose them: each one is uploaded at once.";
    zone.prepend(hint);
    // Files go up as they are chosen; the form's own button would send them twice.
    form.querySelector(".submit-row").hidden = true;
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    input.addEventListener("change", function () {
      add(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("uploader-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("uploader-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      add(event.dataTransfer.files);
    });

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        waiting.push({ file: file, row: row(file) });
      });
      next();
    }

    function next() {
      while (running < AT_ONCE && waiting.length) {
        running += 1;
        send(waiting.shift());
      }
    }

    function row(file) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      var bar = document.createElement("progress");
      var status = document.createElement("span");
      name.textContent = file.name;
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Upload of " + file.name);
      status.className = "uploader-status";
      item.append(name, bar, status);
      list.append(item);
      show(item, "waiting", "Waiting");
      return item;
    }

    function show(item, state, text, link) {
      var status = item.querySelector(".uploader-status");
      item.dataset.state = state;
      status.textContent = text;
      if (link) {
        var anchor = document.createElement("a");
        anchor.href = link.url;
        anchor.textContent = link.title;
        status.prepend(anchor, " ");
      }
    }

    function send(job) {
      var item = job.row;
      var bar = item.querySelector("progress");
      var data = new FormData();
      var request = new XMLHttpRequest();
      data.append("csrfmiddlewaretoken", token);
      data.append("credit", credit ? credit.value : "");
      data.append("files", job.file);
      request.open("POST", form.dataset.uploadUrl);
      request.setRequestHeader("X-CSRFToken", token);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          bar.value = Math.round((event.loaded / event.total) * 100);
          show(item, "uploading", "Uploading " + bar.value + " %");
        }
      });
      request.upload.addEventListener("load", function () {
        bar.value = 100;
        show(item, "checking", "Uploaded; checking the file");
      });
      request.addEventListener("load", function () {
        var answer = parse(request);
        if (request.status === 201 && answer) {
          bar.value = 100;
          showPhoto(item, answer);
          (answer.notices || []).forEach(function (notice) { note(item, notice); });
          if (answer.state === "processing") poll(item, answer, 0);
        } else {
          fail(item, answer && answer.errors ? answer.errors.join(" ") : problem(request));
        }
        done();
      });
      ["error", "abort", "timeout"].forEach(function (name) {
        request.addEventListener(name, function () {
          fail(item, "The connection dropped before the file was sent; choose it again.");
          done();
        });
      });
      show(item, "uploading", "Uploading 0 %");
      request.send(data);
    }

    function done() {
      running -= 1;
      next();
    }

    function showPhoto(item, answer) {
      var text = {
        ready: "Ready. Filled from the file: " + (answer.filled || "nothing") + ".",
        processing: "Added; " + answer.note,
        failed: "Added, but " + answer.note,
      }[answer.state];
      // An upload that worked is not "failed" even when its renditions were.
      var state = answer.state === "failed" ? "renditions-failed" : answer.state;
      show(item, state, text, { url: answer.url, title: answer.title || "the photo" });
      if (answer.thumbnail && !item.querySelector("img")) {
        var preview = document.createElement("img");
        preview.src = answer.thumbnail;
        preview.alt = "";
        preview.width = 64;
        item.querySelector("progress").replaceWith(preview);
      }
    }

    function poll(item, answer, times) {
      if (times >= POLL_TIMES) {
        show(item, "processing", "Still processing: look for it in the photo list later.", {
          url: answer.url, title: answer.title,
        });
        return;
      }
      window.setTimeout(function () {
        var request = new XMLHttpRequest();
        request.open("GET", answer.state_url);
        request.setRequestHeader("Accept", "application/json");
        request.addEventListener("load", function () {
          var state = parse(request);
          if (!state) return;
          var shown = Object.assign({}, answer, state);
          showPhoto(item, shown);
          if (state.state === "processing") poll(item, shown, times + 1);
        });
        request.send();
      }, POLL_MS);
    }

    function fail(item, message) {
      item.querySelector("progress").hidden = true;
      show(item, "failed", "Not added: " + message);
    }

    function note(item, text) {
      var notice = document.createElement("p");
      notice.className = "uploader-notice";
      notice.textContent = text;
      item.append(notice);
    }
  }

  function parse(request) {
    if (!/json/.test(request.getResponseHeader("Content-Type") || "")) return null;
    try {
      return JSON.parse(request.responseText);
    } catch (error) {
      return null;
    }
  }

  function problem(request) {
    // An ended session sends the request on to the login page, which is not JSON.
    if (request.status === 200) return "Your desk session has ended: reload the page and log in.";
    if (request.status === 403) {
      return "The desk refused the upload (your session may have ended): reload the page and log in.";
    }
    if (request.status === 413) return "The file is larger than the server accepts.";
    return "The server could not take the file (HTTP " + request.status + "); try again.";
  }

  document.querySelectorAll("form.photo-uploader").forEach(setup);
})();
