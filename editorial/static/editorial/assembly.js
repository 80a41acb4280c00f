// Drag articles of the issue page within a column or into another; the new printed order is
// saved at once. The 上移/下移 buttons are plain forms and work without this script.
(function () {
    "use strict";
    const root = document.getElementById("assembly");
    if (!root || root.dataset.editable !== "1") return;
    const status = root.querySelector(".assembly-status");
    let dragged = null;

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
                status.textContent = "顺序已保存。";
                window.location.reload();
            });
        }).catch(function (error) {
            status.textContent = error.message + " 页面将刷新。";
            window.setTimeout(function () { window.location.reload(); }, 2500);
        });
    }

    function placeAt(list, y) {
        const others = Array.from(list.querySelectorAll(".assembly-article:not(.dragging)"));
        const next = others.find(function (item) {
            const box = item.getBoundingClientRect();
            return y < box.top + box.height / 2;
        });
        list.insertBefore(dragged, next || null);
    }

    root.addEventListener("dragstart", function (event) {
        dragged = event.target.closest(".assembly-article");
        if (!dragged) return;
        dragged.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", dragged.dataset.article);
    });
    root.addEventListener("dragover", function (event) {
        const column = event.target.closest(".assembly-column");
        if (!dragged || !column) return;
        event.preventDefault();
        placeAt(column.querySelector(".assembly-articles"), event.clientY);
    });
    root.addEventListener("drop", function (event) {
        if (dragged) event.preventDefault();
    });
    root.addEventListener("dragend", function () {
        if (!dragged) return;
        dragged.classList.remove("dragging");
        dragged = null;
        save();
    });
})();
