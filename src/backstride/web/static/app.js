// A pain slider says its value as it moves.
document.addEventListener("input", function (event) {
  var el = event.target;
  if (el && el.type === "range") { el.setAttribute("aria-valuetext", el.value + " out of 10"); }
});
// The drop zone: files dropped on it go into its file field (choosing them works without this).
document.addEventListener("dragover", function (event) {
  if (event.target.closest && event.target.closest(".dropzone")) { event.preventDefault(); }
});
document.addEventListener("drop", function (event) {
  var zone = event.target.closest && event.target.closest(".dropzone");
  if (!zone || !event.dataTransfer) { return; }
  event.preventDefault();
  var input = document.getElementById(zone.getAttribute("for"));
  if (input) { input.files = event.dataTransfer.files; }
});
