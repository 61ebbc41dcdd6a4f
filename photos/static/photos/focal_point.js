// Clicking the preview on a photo's change page sets the focal point fields
// (0–1 from the left and top), and a dot shows where it is.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".focal-point-preview");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!box || !x || !y) return;
  const dot = document.createElement("span");
  dot.style.cssText = "position:absolute;width:14px;height:14px;margin:-7px 0 0 -7px;" +
    "border:2px solid #fff;border-radius:50%;background:#d33;pointer-events:none";
  box.append(dot);
  const place = () => {
    dot.style.left = `${parseFloat(x.value) * 100}%`;
    dot.style.top = `${parseFloat(y.value) * 100}%`;
  };
  box.style.cursor = "crosshair";
  box.addEventListener("click", (event) => {
    const rect = box.getBoundingClientRect();
    x.value = ((event.clientX - rect.left) / rect.width).toFixed(3);
    y.value = ((event.clientY - rect.top) / rect.height).toFixed(3);
    place();
  });
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  place();
});
