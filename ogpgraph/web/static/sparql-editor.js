// The query page's editor: YASGUI (installed from npm, served from this server) takes over
// the plain form when its script has loaded. Without JavaScript, or without YASGUI, the form
// below stays as it is and works on its own (GET /sparql?query=…).
(function () {
  "use strict";

  var MAX_BARS = 30;
  // YASGUI's controls that come without an accessible name, named as they appear
  var NAMES = {
    ".autocomplete": "SPARQL endpoint",
    ".CodeMirror textarea": "SPARQL query",
    ".tableSizer": "Rows per page",
    ".tableFilter": "Filter query results"
  };

  function nameControls(root) {
    Object.keys(NAMES).forEach(function (selector) {
      Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
        if (!el.hasAttribute("aria-label")) el.setAttribute("aria-label", NAMES[selector]);
      });
    });
    // the editor's scrolling area, reachable from the keyboard (CodeMirror says -1)
    Array.prototype.forEach.call(root.querySelectorAll(".CodeMirror-scroll"), function (el) {
      if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");
    });
    // one query tab is all this page needs; its "add tab" button sits in the tab list,
    // where only tabs belong (ARIA)
    Array.prototype.forEach.call(root.querySelectorAll(".tabsList > :not([role=tab])"),
      function (el) { if (!el.querySelector("[role=tab]")) el.hidden = true; });
  }

  function numeric(term) {
    return term && term.type === "literal" && term.value !== "" && !isNaN(Number(term.value));
  }

  // A bar chart of the first numeric column against the first other column.
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || results.getType() !== "json" || !results.getBindings) return null;
    var rows = results.getBindings() || [];
    var vars = results.getVariables() || [];
    if (!rows.length) return null;
    var value = vars.find(function (v) { return rows.every(function (r) { return numeric(r[v]); }); });
    var label = vars.find(function (v) {  // a name (a literal) rather than an IRI
      return v !== value && rows[0][v] && rows[0][v].type === "literal";
    }) || vars.find(function (v) { return v !== value; });
    return value && label ? { rows: rows, value: value, label: label } : null;
  };
  ChartPlugin.prototype.canHandleResults = function () { return this.columns() !== null; };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "▇";
    return icon;
  };
  ChartPlugin.prototype.draw = function () {
    var cols = this.columns();
    var el = this.yasr.resultsEl;
    el.textContent = "";
    if (!cols) return;
    var rows = cols.rows.slice(0, MAX_BARS);
    var max = Math.max.apply(null, rows.map(function (r) { return Number(r[cols.value].value); })) || 1;
    var figure = document.createElement("figure");
    figure.className = "editor-chart";
    var caption = document.createElement("figcaption");
    caption.textContent = cols.value + " by " + cols.label +
      (cols.rows.length > MAX_BARS ? " (first " + MAX_BARS + " rows)" : "");
    figure.appendChild(caption);
    rows.forEach(function (row) {
      var line = document.createElement("div");
      line.className = "editor-chart-row";
      var name = document.createElement("span");
      var term = row[cols.label];
      name.textContent = term ? term.value.replace(/^.*[\/#]/, "") : "(none)";
      if (term) name.title = term.value;
      var bar = document.createElement("span");
      bar.className = "editor-chart-bar";
      var number = Number(row[cols.value].value);
      bar.style.width = Math.max(1, Math.round(60 * number / max)) + "%";
      var count = document.createElement("span");
      count.textContent = row[cols.value].value;
      line.append(name, bar, count);
      figure.appendChild(line);
    });
    el.appendChild(figure);
  };

  function start() {
    var Yasgui = window.Yasgui;
    var configNode = document.getElementById("editor-config");
    var holder = document.getElementById("editor");
    var form = document.getElementById("query-form");
    if (!Yasgui || !configNode || !holder || !form) return;  // the form keeps working
    var config = JSON.parse(configNode.textContent);

    // completion of our terms from the page (never from a third-party service)
    ["property", "class"].forEach(function (kind) {
      Yasgui.Yasqe.forkAutocompleter(kind, {
        name: "ogp-" + kind,
        bulk: true,
        get: function () { return config.terms[kind]; }
      }, false);
    });
    Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
    var prefixes = "data:application/json," + encodeURIComponent(JSON.stringify(config.prefixes));
    var yasgui = new Yasgui(holder, {
      requestConfig: { endpoint: config.endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
      persistenceId: null,
      populateFromUrl: false,
      autofocus: false,
      yasqe: {
        value: config.query,
        persistenceId: null,
        prefixCcApi: prefixes,
        autocompleters: ["prefixes", "variables", "ogp-property", "ogp-class"]
      },
      yasr: { prefixes: config.prefixes, persistenceId: null,
              pluginOrder: ["table", "response", "chart"], defaultPlugin: "table" }
    });
    nameControls(holder);
    new MutationObserver(function () { nameControls(holder); })
      .observe(holder, { childList: true, subtree: true });
    form.hidden = true;
    var served = document.getElementById("results");
    if (served) served.hidden = true;  // the editor shows its own
    holder.hidden = false;
    document.documentElement.classList.add("has-editor");

    function run(query) {
      var tab = yasgui.getTab();
      var yasqe = tab.getYasqe();
      if (query !== undefined) yasqe.setValue(query);
      yasqe.query();
    }
    // the examples: one click puts the query in the editor and runs it
    Array.prototype.forEach.call(document.querySelectorAll("[data-example]"), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        run(config.examples[Number(link.getAttribute("data-example"))].query);
        holder.scrollIntoView();
      });
    });
    if (config.ran) run();
    window.ogpEditor = yasgui;  // for the browser tests and the curious
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
