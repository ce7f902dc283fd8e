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
