"""The XSS corpus (data/xss_payloads.txt) and a browser probe that proves none of it runs.

A `Probe` is one Chromium page with tripwires: every way a payload can run
(`__xss()`, `alert`/`confirm`/`prompt`/`print`, a dialog, an uncaught error)
is recorded, and after each page load a scan of the DOM looks for what a
payload could have injected without running yet: event-handler attributes,
script or data URLs, foreign resources, and elements or scripts that a
payload-free page of the same kind does not have.
"""

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from articles.html import BODY_TAGS

CORPUS_PATH = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"
NUMBER, NEWLINE = "§", "⏎"

# Tags a sanitized story body, a comment, a search excerpt or pagination may add
# to a page that the payload-free page of the same kind happens not to have.
# None of them runs script or loads anything.
CONTENT_TAGS = BODY_TAGS | {"p", "br", "a", "mark", "span", "nav"}

TRIPWIRES = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__xssCalls", { value: calls });
  const record = (name) => function (...args) {
    calls.push(`${name}(${args.map(String).join(",")})`);
  };
  window.__xss = record("__xss");
  for (const name of ["alert", "confirm", "prompt", "print"]) window[name] = record(name);
})();
"""

# Shared by the page scan and the feed scan: what one element may not carry.
CHECK_ELEMENT = r"""
  const URL_ATTRIBUTES = new Set([
    "href", "xlink:href", "src", "srcset", "action", "formaction", "data", "poster",
    "background", "cite", "ping", "to", "from", "values", "by", "codebase", "lowsrc", "dynsrc",
  ]);
  const RESOURCE_ATTRIBUTES = new Set(["src", "srcset", "data", "poster", "background"]);
  const SAFE_DATA = /^data:image\/(png|jpe?g|gif|webp|avif)[;,]/;
  // Browsers ignore control characters, spaces and invisible marks around a scheme.
  const squeeze = (value) =>
    value.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060\ufeff]/g, "")
      .toLowerCase();
  const describe = (el) => `<${el.localName}${el.id ? "#" + el.id : ""}>`;
  const checkElement = (el, problems, base) => {
    if (el.shadowRoot) problems.push(`shadow root on ${describe(el)}`);
    const equiv = (el.getAttribute("http-equiv") || "").toLowerCase();
    if (el.localName === "meta" && equiv === "refresh") {
      problems.push(`meta refresh: ${el.outerHTML.slice(0, 120)}`);
    }
    for (const name of el.getAttributeNames()) {
      const lower = name.toLowerCase();
      const value = el.getAttribute(name);
      const shown = value.slice(0, 80);
      if (lower.startsWith("on")) problems.push(`${lower} handler on ${describe(el)}: ${shown}`);
      if (lower === "srcdoc") problems.push(`srcdoc on ${describe(el)}`);
      const scripted = /expression\(|javascript:|behavior:|-moz-binding/i;
      if (lower === "style" && scripted.test(squeeze(value))) {
        problems.push(`script in style on ${describe(el)}: ${shown}`);
      }
      if (URL_ATTRIBUTES.has(lower) || lower.endsWith(":href")) {
        const url = squeeze(value);
        if (url.startsWith("javascript:") || url.startsWith("vbscript:") ||
            (url.startsWith("data:") && !SAFE_DATA.test(url))) {
          problems.push(`${lower}=${shown} on ${describe(el)}`);
        }
      }
      if (RESOURCE_ATTRIBUTES.has(lower) && el.localName !== "script" && value) {
        for (const candidate of value.split(",")) {
          const part = candidate.trim().split(/\s+/)[0];
          if (!part || SAFE_DATA.test(squeeze(part))) continue;
          const url = new URL(part, base);
          const ours = url.origin === location.origin &&
            (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/"));
          if (!ours) {
            problems.push(`foreign resource ${lower}=${part.slice(0, 80)} on ${describe(el)}`);
          }
        }
      }
    }
  };
"""

DOM_SCAN = (
    "() => {"
    + CHECK_ELEMENT
    + r"""
  const problems = [];
  const tags = {};
  const scripts = [];
  const NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "",
    "http://www.w3.org/2000/svg": "svg:",
    "http://www.w3.org/1998/Math/MathML": "math:",
  };
  for (const el of document.querySelectorAll("*")) {
    const tag = (NAMESPACES[el.namespaceURI] ?? "other:") + el.localName.toLowerCase();
    tags[tag] = (tags[tag] || 0) + 1;
    checkElement(el, problems, location.href);
    if (tag === "script") {
      const src = el.getAttribute("src");
      const signature = src ? "src:" + new URL(src, location.href).pathname : "inline:" + el.type;
      scripts.push(signature);
      if (el.type === "application/ld+json") {
        try { JSON.parse(el.textContent); } catch (error) {
          problems.push(`JSON-LD block no longer parses: ${error.message}`);
        }
      }
    }
  }
  return { problems, tags, scripts };
}"""
)

# A feed, read as a feed reader does: well-formed XML, titles as text, and
# summaries declared HTML (RSS descriptions, Atom type="html") rendered as HTML.
FEED_SCAN = (
    "async (url) => {"
    + CHECK_ELEMENT
    + r"""
  const problems = [];
  url = new URL(url, location.href).href;
  const response = await fetch(url);
  const feed = new DOMParser().parseFromString(await response.text(), "application/xml");
  if (feed.querySelector("parsererror")) problems.push(`${url} is not well-formed XML`);
  for (const el of feed.getElementsByTagName("*")) {
    if (el.namespaceURI === "http://www.w3.org/1999/xhtml") {
      problems.push(`XHTML element <${el.localName}> in ${url}`);
    }
  }
  const items = [];
  for (const item of feed.querySelectorAll("item, entry")) {
    const title = item.querySelector(":scope > title")?.textContent ?? "";
    const summary = item.querySelector(":scope > description, :scope > summary");
    const type = summary?.getAttribute("type") ?? (item.localName === "item" ? "html" : "text");
    let text = summary?.textContent ?? "";
    if (type === "html") {
      // The summary is plain text written as HTML: any element in it came from the text.
      const html = new DOMParser().parseFromString(text, "text/html");
      for (const el of html.body.querySelectorAll("*")) {
        problems.push(`summary of “${title.slice(0, 40)}” in ${url} holds <${el.localName}>`);
        checkElement(el, problems, url);
      }
      text = html.body.textContent;
    }
    items.push({ title, summary: text });
  }
  return { status: response.status, problems, items };
}"""
)


@dataclass(frozen=True)
class Payload:
    number: int
    family: str
    text: str


def load_corpus(path: Path = CORPUS_PATH) -> list[Payload]:
    """The payloads in file order, numbered from 1, with § and ⏎ filled in."""
    payloads, family = [], "unsorted"
    # Not splitlines(): payloads may hold U+2028, form feeds and other line breaks.
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            if line.startswith("# family:"):
                family = line.split(":", 1)[1].strip()
            continue
        if not line.strip():
            continue
        number = len(payloads) + 1
        text = line.replace(NUMBER, str(number)).replace(NEWLINE, "\n")
        payloads.append(Payload(number=number, family=family, text=text))
    return payloads


def visible(text: str) -> str:
    """Text as compared on a page: HTML turns line breaks into <br> and collapses spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return re.sub(r"[ \t\n\f]+", "", text)


@dataclass
class Visit:
    url: str
    executed: list[str]
    injected: list[str]


@dataclass
class Surface:
    """What happened to the corpus on one input surface."""

    name: str
    tried: int = 0
    rejected: dict[int, str] = field(default_factory=dict)
    stored: set[int] = field(default_factory=set)
    rendered: set[int] = field(default_factory=set)
    visits: list[Visit] = field(default_factory=list)

    def reject(self, payload: Payload, reason: str):
        self.rejected[payload.number] = reason

    @property
    def executed(self) -> list[str]:
        return [f"{v.url}: {e}" for v in self.visits for e in v.executed]

    @property
    def injected(self) -> list[str]:
        return [f"{v.url}: {i}" for v in self.visits for i in v.injected]


class Probe:
    """One browser page with tripwires, and the payload-free baselines to compare against."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.page = context.new_page()
        self.page.add_init_script(TRIPWIRES)
        # The site has no favicon: each 404 would render the error page once per load.
        self.page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        self.events: list[str] = []
        self.console: list[str] = []
        self.baselines: dict[str, dict] = {}
        self.loads = Counter()
        self.seconds = Counter()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        self.page.on("console", self._console)

    def _dialog(self, dialog):
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        line = f"console {message.type}: {message.text}"
        # A payload that reached a console call ran; other messages are the browser's own.
        (self.events if "xss" in message.text.lower() else self.console).append(line)

    def load(self, kind: str, path: str):
        started = time.monotonic()
        self.events.clear()
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.status == 200, (path, response and response.status)
        # Timers and focus events that payloads schedule fire within a few ticks.
        self.page.wait_for_timeout(30)
        scan = self.page.evaluate(DOM_SCAN)
        self.loads[kind] += 1
        self.seconds[kind] += time.monotonic() - started
        return scan

    def baseline(self, kind: str, path: str):
        """Scan a page of this kind that holds no payload; later pages are compared to it."""
        scan = self.load(kind, path)
        assert not scan["problems"] and not self._executed(), (path, scan["problems"], self.events)
        self.baselines[kind] = scan

    def visit(self, kind: str, path: str, surfaces) -> dict:
        """Load a page showing payloads and charge what it finds to every surface it shows."""
        scan = self.load(kind, path)
        baseline = self.baselines[kind]
        injected = list(scan["problems"])
        extra_scripts = Counter(scan["scripts"]) - Counter(baseline["scripts"])
        injected += [f"script not on a clean page: {s}" for s in extra_scripts]
        for tag, count in scan["tags"].items():
            expected = baseline["tags"].get(tag)
            if expected is None and tag not in CONTENT_TAGS:
                injected.append(f"<{tag}> x{count}, not on a clean page")
            elif tag in FIXED_TAGS and count > (expected or 0):
                injected.append(f"<{tag}> x{count}, a clean page has {expected or 0}")
        visit = Visit(url=path, executed=self._executed(), injected=injected)
        for surface in surfaces:
            surface.visits.append(visit)
        return scan

    def _executed(self) -> list[str]:
        calls = self.page.evaluate("window.__xssCalls")
        return [f"called {call}" for call in calls] + list(self.events)

    def attributes(self, selector: str, name: str) -> list[str]:
        return self.page.eval_on_selector_all(
            selector, "(els, name) => els.map(el => el.getAttribute(name))", name
        )


# Elements a page has a fixed number of, however many stories or comments it lists.
FIXED_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
    "link", "meta", "form", "template", "noscript", "title", "head", "body", "html",
}  # fmt: skip


def report_table(surfaces: list[Surface]) -> str:
    header = (
        f"{'surface':<24} {'tried':>5} {'rejected':>8} {'stored':>6} {'rendered':>8} "
        f"{'pages':>5} {'executed':>8} {'injected':>8}"
    )
    lines = [header, "-" * len(header)]
    for s in surfaces:
        pages = len({v.url for v in s.visits})
        lines.append(
            f"{s.name:<24} {s.tried:>5} {len(s.rejected):>8} {len(s.stored):>6} "
            f"{len(s.rendered):>8} {pages:>5} {len(s.executed):>8} {len(s.injected):>8}"
        )
    return "\n".join(lines)


def report_details(surfaces: list[Surface], corpus: list[Payload]) -> str:
    by_number = {p.number: p for p in corpus}
    lines = []
    for s in surfaces:
        lines.append(f"\n== {s.name}")
        for number, reason in sorted(s.rejected.items()):
            lines.append(f"  rejected #{number} {by_number[number].text[:60]!r}: {reason}")
        lines += [f"  EXECUTED {line}" for line in s.executed]
        lines += [f"  INJECTED {line}" for line in s.injected]
    return "\n".join(lines)
