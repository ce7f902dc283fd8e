// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A Compact's text with problems (templates/compacts/manage/import.html): a link to a problem's line puts the cursor
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
