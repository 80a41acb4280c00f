// The issue page's render status box: fetched once the page has loaded (working it out costs the
// server the printed HTML, which the page itself need not wait for), then again every
// few seconds while the PDF is queued or being rendered, until it is ready or has failed.
(function () {
    "use strict";

    function poll(box) {
        const state = box.dataset.state;
        if (state !== "loading" && state !== "queued" && state !== "running") {
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
        }, state === "loading" ? 0 : Number(box.dataset.pollSeconds || 2) * 1000);
    }

    document.addEventListener("DOMContentLoaded", function () {
        const box = document.getElementById("issue-render-status");
        if (box) {
            poll(box);
        }
    });
})();
