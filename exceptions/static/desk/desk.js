// Keyboard navigation for the desk's pages. Plain JavaScript, no framework.
(function () {
  "use strict";
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  const rows = Array.from(document.querySelectorAll("#cases tbody tr[data-href]"));
  let current = rows.length ? 0 : -1;

  function select(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("selected", i === current));
    rows[current].scrollIntoView({ block: "nearest" });
  }
  if (rows.length) select(0);
  rows.forEach((row, i) => row.addEventListener("click", (event) => {
    if (event.target.closest("a")) return;
    select(i);
    window.location = row.dataset.href;
  }));

  function click(key) {
    const el = document.querySelector(`[data-key="${key}"]`);
    if (!el) return false;
    if (el.tagName === "SUMMARY") { el.parentElement.open = true; const input = el.parentElement.querySelector("input:not([type=hidden]), textarea"); if (input) input.focus(); }
    else el.click();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (typing(document.activeElement)) {
      if (event.key === "Escape") document.activeElement.blur();
      return;
    }
    const key = event.key;
    if (key === "/") { const search = document.getElementById("search"); if (search) { event.preventDefault(); search.focus(); search.select(); } return; }
    if (rows.length && (key === "j" || key === "ArrowDown")) { event.preventDefault(); select(current + 1); return; }
    if (rows.length && (key === "k" || key === "ArrowUp")) { event.preventDefault(); select(current - 1); return; }
    if (rows.length && (key === "Enter" || key === "o")) { window.location = rows[current].dataset.href; return; }
    if (click(key)) event.preventDefault();
  });

  // Case page: pointing at a field marks the document line it was read from.
  document.querySelectorAll("[data-field]").forEach((el) => {
    const key = el.dataset.field;
    const lines = () => Array.from(document.querySelectorAll(".text-source li[data-fields]")).filter((li) => li.dataset.fields.split(" ").includes(key));
    el.addEventListener("mouseenter", () => lines().forEach((li, i) => { li.classList.add("focus"); if (i === 0) li.scrollIntoView({ block: "nearest" }); }));
    el.addEventListener("mouseleave", () => lines().forEach((li) => li.classList.remove("focus")));
  });

  // Messages fade after a while; errors stay until clicked.
  document.querySelectorAll(".toast").forEach((toast) => {
    toast.addEventListener("click", () => toast.remove());
    if (!toast.classList.contains("error")) setTimeout(() => toast.remove(), 8000);
  });
})();
