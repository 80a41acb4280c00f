// Pages with a form ask before they are left with unsaved changes: a link (返回本期, 上一篇,
// 下一篇, the breadcrumbs), reloading or closing the tab. Sending the form itself does not ask.
document.addEventListener("DOMContentLoaded", function () {
    "use strict";
    let dirty = false;
    const form = document.querySelector("#content-main form[method=post][id$=_form]");
    if (!form) return;
    const changed = function () { dirty = true; };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // CKEditor 5 edits a contenteditable of its own and copies into the textarea without events.
    form.addEventListener("keydown", function (event) {
        if (event.target.closest(".ck-editor__editable")) changed();
    });
    form.addEventListener("paste", changed);
    form.addEventListener("drop", changed);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
        if (!dirty) return;
        event.preventDefault();
        event.returnValue = "";  // older browsers need a value to show their own warning
    });
});
