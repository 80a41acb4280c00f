// The 全选 box of django-import-export's export page (templates/admin/import_export/export.html
// drops the library's inline onchange handler, which the Content-Security-Policy blocks).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((box) => {
        box.checked = toggle.checked;
      });
    });
  });
});
