// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

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
