// Buttons with data-confirm ask before their form is sent (no inline handlers: the CSP forbids them).
document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
