// The article form's tags box: a keyboard-driven list of existing tags as you
// type, and one-click suggestions of tags the headline and text already mention.
(function () {
  "use strict";

  function tokens(value) {
    return value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
  }

  function setup(field) {
    const input = field.querySelector("input.tag-input");
    const list = field.querySelector(".tag-field__matches");
    const suggestions = field.querySelector(".tag-field__suggestions");
    const buttons = field.querySelector(".tag-field__buttons");
    let active = -1;
    let timer = null;

    function lastToken() {
      const parts = input.value.split(",");
      return parts[parts.length - 1].trim();
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(name) {
      const parts = input.value.split(",");
      parts[parts.length - 1] = " " + name;
      input.value = parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      input.focus();
      refreshSuggestions();
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) { input.setAttribute("aria-activedescendant", options[index].id); }
    }

    function show(results) {
      list.innerHTML = "";
      const present = tokens(input.value).map(function (t) { return t.toLowerCase(); });
      results = results.filter(function (r) { return present.indexOf(r.name.toLowerCase()) === -1; });
      if (!results.length) { close(); return; }
      results.forEach(function (result, i) {
        const option = document.createElement("li");
        option.id = list.id + "_" + i;
        option.setAttribute("role", "option");
        option.dataset.name = result.name;
        option.textContent = result.name + " (" + result.count + ")";
        option.addEventListener("mousedown", function (e) { e.preventDefault(); choose(result.name); });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    function lookup() {
      const query = lastToken();
      if (!query) { close(); return; }
      fetch(field.dataset.autocompleteUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (lastToken() === query) { show(data.results); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (e) {
      const options = list.querySelectorAll("[role=option]");
      if (list.hidden || !options.length) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % options.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (e.key === "Enter" || e.key === "Tab") {
        if (active >= 0) { e.preventDefault(); choose(options[active].dataset.name); }
      } else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });

    function articleText() {
      return ["id_title", "id_summary", "id_body"].map(function (id) {
        const el = document.getElementById(id);
        return el ? el.value : "";
      }).join("\n");
    }

    function refreshSuggestions() {
      const body = new URLSearchParams();
      body.set("text", articleText());
      body.set("tags", input.value);
      const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(field.dataset.suggestUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        body: body
      })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          buttons.innerHTML = "";
          data.results.forEach(function (result) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "tag-chip tag-chip--suggestion";
            button.textContent = "+ " + result.name;
            button.setAttribute("aria-label", "Add tag " + result.name);
            button.addEventListener("click", function () {
              const current = tokens(input.value);
              current.push(result.name);
              input.value = current.join(", ");
              input.dispatchEvent(new Event("input", { bubbles: true }));
              close();
              button.remove();
              if (!buttons.children.length) { suggestions.hidden = true; }
            });
            buttons.appendChild(button);
          });
          suggestions.hidden = !data.results.length;
        })
        .catch(function () { suggestions.hidden = true; });
    }

    ["id_title", "id_summary", "id_body"].forEach(function (id) {
      const el = document.getElementById(id);
      if (el) { el.addEventListener("change", refreshSuggestions); }
    });
    refreshSuggestions();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".tag-field").forEach(setup);
  });
})();
