// A form with data-busy says what is happening once sent (signing renders the PDF of record,
// which may take a while) and cannot be sent twice.
document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-busy]");
    if (!form) return;
    if (form.dataset.sent) {
        event.preventDefault();
        return;
    }
    form.dataset.sent = "1";
    for (const button of form.querySelectorAll("[type=submit]")) button.disabled = true;
    const note = document.createElement("p");
    note.className = "busy-note";
    note.setAttribute("role", "status");
    note.textContent = form.dataset.busy;
    form.append(note);
});
