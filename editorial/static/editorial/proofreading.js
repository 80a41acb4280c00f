// The 校对 panel.
(function () {
    // A fix or a dismissal reloads the page: warn before unsaved edits in the form above are lost.
    var form = document.querySelector("#content-main form[id$='_form']");
    var changed = false;
    if (form) {
      form.addEventListener("input", function () { changed = true; });
      form.addEventListener("change", function () { changed = true; });
    }
    document.querySelectorAll("#proofreading form.proofreading-action").forEach(function (action) {
      action.addEventListener("submit", function (event) {
        var question = action.dataset.confirm;
        if (changed) {
          question = "本页有未保存的修改，继续将重新载入页面，这些修改会丢失。" + (question || "继续吗？");
        }
        if (question && !window.confirm(question)) { event.preventDefault(); }
      });
    });
  })();
