// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A box that narrows a list of checkboxes as the person types (data-app-filter names the list's container), as the
// complaint form's "Find commitments by words" does. An option matches when its wording contains every word typed,
// as the server's search has it; options already chosen stay shown. How many match is said in the live region
// #commitments-found. Enter in the box filters, and never sends the form; nor does the box's own button, which
// without JavaScript sends the search to the server.
function filterList(box) {
  const list = document.getElementById(box.dataset.appFilter);
  const found = document.getElementById("commitments-found");
  const button = box.form && box.form.querySelector("[data-app-find-button]");
  if (!list || !found) return;
  const options = Array.from(list.querySelectorAll(".govuk-checkboxes__item"), (item) => {
    const label = item.querySelector(".govuk-checkboxes__label").textContent;
    const whole = item.querySelector(".govuk-details__text");
    // A label reads "<number> – <wording>", cut short where a details component holds the whole wording.
    const wording = whole ? whole.textContent : label.slice(label.indexOf(" – ") + 3);
    return { item, input: item.querySelector("input"), wording: wording.toLowerCase() };
  });

  function filter() {
    const phrase = box.value.trim();
    const words = phrase.toLowerCase().split(/\s+/).filter(Boolean);
    let matching = 0;
    for (const { item, input, wording } of options) {
      const matches = words.every((word) => wording.includes(word));
      matching += matches ? 1 : 0;
      item.style.display = matches || input.checked ? "" : "none";
    }
    if (!words.length) {
      found.textContent = "";
    } else if (matching) {
      found.textContent = `${matching} commitment${matching === 1 ? " contains" : "s contain"} “${phrase}”.`;
    } else {
      found.textContent = `No commitments contain “${phrase}”. Try other words, or clear the box to list them all.`;
    }
  }

  box.addEventListener("input", filter);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      filter();
    }
  });
  if (button) {
    // The list follows the box as it is typed in, so the button is not needed; kept in the page (hidden), it is
    // still the form's first button, which Enter in another box would press: that, too, only filters.
    button.style.display = "none";
    button.addEventListener("click", (event) => {
      event.preventDefault();
      filter();
    });
  }
  if (box.value.trim()) filter();
}

document.querySelectorAll("[data-app-filter]").forEach(filterList);

// Choosing your organisation when registering: the list holds every Compact's signatories, grouped by Compact.
// Choosing the Compact's area, or typing part of the name, narrows it; without this file it is the whole list.
function organisationPicker(select) {
  const group = select.closest(".govuk-form-group");
  const blank = select.querySelector(":scope > option[value='']");
  const groups = Array.from(select.querySelectorAll("optgroup"), (optgroup) => ({
    label: optgroup.label,
    options: Array.from(optgroup.querySelectorAll("option"), (option) => option.cloneNode(true)),
  }));
  const total = new Set(groups.flatMap((g) => g.options.map((option) => option.value))).size;
  const id = select.id;
  const filters = document.createElement("div");
  filters.className = "app-organisation-filters";
  filters.innerHTML = `
    <div class="govuk-form-group">
      <label class="govuk-label govuk-label--s" for="${id}-area">Which Compact's area is your organisation in?</label>
      <select class="govuk-select" id="${id}-area"><option value="">All areas</option></select>
    </div>
    <div class="govuk-form-group">
      <label class="govuk-label govuk-label--s" for="${id}-search">Search for your organisation by name</label>
      <div class="govuk-hint" id="${id}-search-hint">Type part of its name, then choose it from the list below.</div>
      <input class="govuk-input govuk-!-width-two-thirds" id="${id}-search" type="search" autocomplete="off"
        spellcheck="false" aria-describedby="${id}-search-hint ${id}-shown">
    </div>`;
  const area = filters.querySelector("select");
  for (const g of groups) area.add(new Option(g.label, g.label));
  area.value = select.dataset.area || "";
  const search = filters.querySelector("input");
  const shown = document.createElement("p");
  shown.className = "govuk-body govuk-!-margin-bottom-2";
  shown.id = `${id}-shown`;
  shown.setAttribute("aria-live", "polite");
  group.parentNode.insertBefore(filters, group);
  select.insertAdjacentElement("beforebegin", shown);

  function narrow() {
    const chosen = select.value;
    const words = search.value.trim().toLowerCase();
    const kept = new Set();
    select.replaceChildren(blank);
    for (const g of groups) {
      if (area.value && g.label !== area.value) continue;
      const options = g.options.filter(
        (option) => option.value === chosen || option.text.toLowerCase().includes(words),
      );
      if (!options.length) continue;
      const optgroup = document.createElement("optgroup");
      optgroup.label = g.label;
      for (const option of options) {
        const copy = option.cloneNode(true);
        copy.selected = false;
        optgroup.append(copy);
        kept.add(option.value);
      }
      select.append(optgroup);
    }
    select.value = kept.has(chosen) ? chosen : "";
    const count = kept.size;
    shown.textContent =
      count === total
        ? `All ${total} organisations are in the list.`
        : `${count} of ${total} organisations ${count === 1 ? "is" : "are"} in the list.`;
  }
  area.addEventListener("change", narrow);
  search.addEventListener("input", narrow);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // filtering, not sending the form
  });
  narrow();
}

document.querySelectorAll("select[data-organisation-picker]").forEach(organisationPicker);

// A Compact's text with problems (templates/documents/manage/import.html): a link to a problem's line puts the cursor
// on that line of the box and selects it, after the error summary has moved focus to the box.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-line]");
  const box = link && document.getElementById(link.getAttribute("href").slice(1));
  if (!box || box.tagName !== "TEXTAREA") return;
  setTimeout(() => {
    const lines = box.value.split("\n");
    const line = Math.min(Number(link.dataset.line), lines.length);
    const start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    box.focus();
    box.setSelectionRange(start, start + lines[line - 1].length);
    const height = box.scrollHeight / Math.max(lines.length, 1);
    box.scrollTop = Math.max(0, (line - 3) * height);
  }, 0);
});

// A print button, where a page offers one (the annual report): hidden without JavaScript, which it needs.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
