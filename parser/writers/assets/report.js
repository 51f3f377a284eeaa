// Side list: scroll the clicked task (or flag) into view and flash it.
(function () {
  "use strict";
  document.querySelectorAll("aside a[data-target]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var el = document.getElementById(link.getAttribute("data-target"));
      if (!el) { return; }
      event.preventDefault();
      el.scrollIntoView({ block: "start" });
      if (history.replaceState) { history.replaceState(null, "", "#" + encodeURIComponent(el.id)); }
      el.classList.add("flash");
      setTimeout(function () { el.classList.remove("flash"); }, 1500);
    });
  });
})();
