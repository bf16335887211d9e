// dehub: search box autocomplete (ARIA 1.2 combobox with a listbox popup). No libraries.
// Reads /api/v1/search?q=...&limit=8 -> {ok, results: [{kind, code, name, detail, url}]}.
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-list");
  if (!input || !list) { return; }
  var items = [], active = -1, timer = null, lastQuery = "";

  function close() {
    list.hidden = true; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant"); active = -1;
  }
  function select(i) {
    var nodes = list.querySelectorAll("li");
    nodes.forEach(function (n, j) { n.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && nodes[i]) { input.setAttribute("aria-activedescendant", nodes[i].id); nodes[i].scrollIntoView({block: "nearest"}); }
  }
  function show(results) {
    items = results; list.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "site-search-opt-" + i; li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false"); li.dataset.url = r.url;
      li.appendChild(document.createTextNode(r.name));
      var kind = document.createElement("span"); kind.className = "kind";
      kind.textContent = r.kind + (r.detail ? " · " + r.detail : "");
      li.appendChild(kind);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = r.url; });
      list.appendChild(li);
    });
    if (results.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { close(); }
    active = -1;
  }
  function fetchResults() {
    var q = input.value.trim();
    if (q === lastQuery) { return; }
    lastQuery = q;
    if (q.length < 2) { show([]); return; }
    fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) { if (input.value.trim() === q) { show(data.results || []); } })
      .catch(function () { show([]); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchResults, 120); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) { fetchResults(); } else { select(Math.min(active + 1, items.length - 1)); } }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(Math.max(active - 1, 0)); }
    else if (e.key === "Enter" && active >= 0 && items[active]) { e.preventDefault(); window.location.href = items[active].url; }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
