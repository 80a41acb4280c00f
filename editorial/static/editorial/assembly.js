// Drag articles of the issue page by their handle (⠿), within a column or into another; the new
// printed order is saved at once. Pointer events, so mouse, pen and touch all work. The 上移/下移
// buttons are plain forms and work from the keyboard and without this script.
(function () {
    "use strict";
    const root = document.getElementById("assembly");
    if (!root || root.dataset.editable !== "1") return;
    const status = root.querySelector(".assembly-status");
    let dragged = null;
    let before = "";

    function csrfToken() {
        const input = root.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function arrangement() {
        return Array.from(root.querySelectorAll(".assembly-article")).map(function (item) {
            return [Number(item.dataset.article), Number(item.closest(".assembly-column").dataset.column)];
        });
    }

    function save() {
        status.textContent = "正在保存顺序……";
        fetch(root.dataset.arrangeUrl, {
            method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
            body: JSON.stringify({arrangement: arrangement()}),
            credentials: "same-origin",
        }).then(function (response) {
            return response.json().then(function (data) {
                if (!response.ok) throw new Error(data.error || "保存顺序失败。");
                window.location.reload();
            });
        }).catch(function (error) {
            status.textContent = error.message + " 页面将刷新。";
            window.setTimeout(function () { window.location.reload(); }, 2500);
        });
    }

    function columnAt(x, y) {
        const element = document.elementFromPoint(x, y);
        return element ? element.closest(".assembly-column") : null;
    }

    function placeAt(list, y) {
        const others = Array.from(list.querySelectorAll(".assembly-article:not(.dragging)"));
        const next = others.find(function (item) {
            const box = item.getBoundingClientRect();
            return y < box.top + box.height / 2;
        });
        if (next !== dragged.nextElementSibling || dragged.parentElement !== list) {
            list.insertBefore(dragged, next || null);
        }
    }

    root.addEventListener("pointerdown", function (event) {
        const handle = event.target.closest(".drag-handle");
        if (!handle || event.button !== 0) return;
        event.preventDefault();
        dragged = handle.closest(".assembly-article");
        before = JSON.stringify(arrangement());
        dragged.classList.add("dragging");
        handle.setPointerCapture(event.pointerId);
    });
    root.addEventListener("pointermove", function (event) {
        if (!dragged) return;
        const column = columnAt(event.clientX, event.clientY);
        if (column) placeAt(column.querySelector(".assembly-articles"), event.clientY);
    });
    function finish() {
        if (!dragged) return;
        dragged.classList.remove("dragging");
        dragged = null;
        if (JSON.stringify(arrangement()) !== before) save();
    }
    root.addEventListener("pointerup", finish);
    root.addEventListener("pointercancel", finish);
})();
