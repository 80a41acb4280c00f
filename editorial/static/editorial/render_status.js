// While an issue's PDF is queued or being rendered, fetch its status box again every few
// seconds and replace it, until the render is ready or has failed.
(function () {
    "use strict";

    function poll(box) {
        if (box.dataset.state !== "queued" && box.dataset.state !== "running") {
            return;
        }
        window.setTimeout(function () {
            fetch(box.dataset.url, {credentials: "same-origin"})
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) {
                    if (html === null) {
                        return;
                    }
                    const holder = document.createElement("div");
                    holder.innerHTML = html.trim();
                    const fresh = holder.firstElementChild;
                    box.replaceWith(fresh);
                    poll(fresh);
                });
        }, Number(box.dataset.pollSeconds || 2) * 1000);
    }

    document.addEventListener("DOMContentLoaded", function () {
        const box = document.getElementById("issue-render-status");
        if (box) {
            poll(box);
        }
    });
})();
