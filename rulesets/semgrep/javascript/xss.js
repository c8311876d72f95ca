// Test cases for xss.yaml (annotations as in semgrep --test).
function search(req, res) {
  // ruleid: javascript.xss.request-data-in-html-response
  res.send("<h1>Results for " + req.query.q + "</h1>");
  const name = req.params.name;
  // ruleid: javascript.xss.request-data-in-html-response
  res.write(`<p>Hello ${name}</p>`);
  // ok: javascript.xss.request-data-in-html-response
  res.send("<h1>Results for " + escapeHtml(req.query.q) + "</h1>");
  // ok: javascript.xss.request-data-in-html-response
  res.send({ results: req.query.q });
}

function render(el, html, text) {
  // ruleid: javascript.xss.dom-html-sink-non-constant
  el.innerHTML = "<b>" + html + "</b>";
  // ruleid: javascript.xss.dom-html-sink-non-constant
  document.write(location.hash.slice(1));
  // ruleid: javascript.xss.dom-html-sink-non-constant
  el.insertAdjacentHTML("beforeend", html);
  // ok: javascript.xss.dom-html-sink-non-constant
  el.innerHTML = "<br>";
  // ok: javascript.xss.dom-html-sink-non-constant
  el.innerHTML = DOMPurify.sanitize(html);
  // ok: javascript.xss.dom-html-sink-non-constant
  el.textContent = text;
}

function Comment({ body }) {
  // ruleid: javascript.xss.react-dangerously-set-inner-html
  const a = <div dangerouslySetInnerHTML={{ __html: body }} />;
  // ok: javascript.xss.react-dangerously-set-inner-html
  const b = <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(body) }} />;
  return [a, b];
}

class SearchResult {
  show(sanitizer, queryParam) {
    // ruleid: javascript.xss.angular-bypass-security-trust
    this.searchValue = sanitizer.bypassSecurityTrustHtml(queryParam);
    // ok: javascript.xss.angular-bypass-security-trust
    this.icon = sanitizer.bypassSecurityTrustHtml("<i class='x'></i>");
  }
}

function list(items, label) {
  // ruleid: javascript.xss.jquery-html-non-constant
  $("#list").html("<li>" + items[0] + "</li>");
  // ok: javascript.xss.jquery-html-non-constant
  $("#list").html("<li>none</li>");
  // ok: javascript.xss.jquery-html-non-constant
  $("#label").text(label);
}

// ruleid: javascript.xss.message-handler-without-origin-check
window.addEventListener("message", (event) => {
  // ruleid: javascript.xss.dom-html-sink-non-constant
  document.getElementById("out").innerHTML = event.data.html;
});
// ruleid: javascript.xss.message-handler-without-origin-check
window.addEventListener("message", function ({ data }) { localStorage.setItem("token", data); });
// ruleid: javascript.xss.message-handler-without-origin-check
window.onmessage = (e) => { location.href = e.data; };
// ok: javascript.xss.message-handler-without-origin-check
window.addEventListener("message", (event) => {
  if (event.origin !== "https://app.example.com") return;
  render(event.data);
});
// ok: javascript.xss.message-handler-without-origin-check
window.addEventListener("message", ({ data, origin }) => { if (ALLOWED.has(origin)) render(data); });
// ok: javascript.xss.message-handler-without-origin-check
worker.addEventListener("message", (e) => render(e.data));
// ok: javascript.xss.message-handler-without-origin-check
window.addEventListener("resize", () => layout());

function links(el, code, label) {
  // ruleid: javascript.xss.javascript-url-built
  el.href = "javascript:" + code;
  // ruleid: javascript.xss.javascript-url-built
  el.setAttribute("href", `javascript:run('${label}')`);
  // ok: javascript.xss.javascript-url-built
  el.href = "https://example.com/" + label;
  // ok: javascript.xss.javascript-url-built
  el.href = "javascript:void(0)";
}

const serialize = require("serialize-javascript");
function page(state) {
  // ruleid: javascript.xss.serialize-javascript-unsafe
  const json = serialize(state, { unsafe: true });
  // ok: javascript.xss.serialize-javascript-unsafe
  const safe = serialize(state, { isJSON: true });
  return `<script>window.__STATE__ = ${json}; ${safe}</script>`;
}
