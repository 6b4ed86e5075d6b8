// Progressive enhancement only: every page works without this file.
// Clicking a quote or an event in the side list highlights its words in the text and the
// sentence they are in (the link's #s-N anchor already scrolls there and CSS :target marks
// the sentence without JavaScript).
"use strict";

function clearHighlights() {
  for (const node of document.querySelectorAll(".highlight")) {
    node.classList.remove("highlight");
  }
}

function highlight(selector, sentence) {
  clearHighlights();
  for (const node of document.querySelectorAll(selector)) {
    node.classList.add("highlight");
  }
  for (const node of document.querySelectorAll('.sentence[data-sentence="' + sentence + '"]')) {
    node.classList.add("highlight");
  }
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-sentence]") : null;
  if (!link) {
    return;
  }
  const sentence = String(Number(link.dataset.sentence));
  if (link.dataset.quote !== undefined) {
    highlight(".q-" + Number(link.dataset.quote), sentence);
  } else if (link.dataset.event !== undefined) {
    highlight(".ev-" + Number(link.dataset.event), sentence);
  }
});

// Keyboard: "/" focuses the search box, j and k move to the next and previous item of the
// page's list (stories, articles, search results, events, quotes), Enter opens the current
// item, "?" shows and hides the list of keys, Escape closes it.
const ITEMS = ".story-item, .article-item, tr.event-row, .event-item, .quote-item, tr.place-row";

function typing(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function moveCurrent(step) {
  const items = Array.from(document.querySelectorAll(ITEMS));
  if (items.length === 0) {
    return;
  }
  const at = items.findIndex((item) => item.classList.contains("current-item"));
  const next = at === -1 ? (step > 0 ? 0 : items.length - 1)
    : Math.min(Math.max(at + step, 0), items.length - 1);
  if (at !== -1) {
    items[at].classList.remove("current-item");
  }
  const item = items[next];
  item.classList.add("current-item");
  item.scrollIntoView({block: "nearest"});
  const link = item.querySelector("a[href]");
  if (link) {
    link.focus({preventScroll: true});
  }
}

function toggleHelp(show) {
  const help = document.getElementById("keys-help");
  if (help) {
    help.hidden = show === undefined ? !help.hidden : !show;
  }
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  if (event.key === "Escape") {
    toggleHelp(false);
    return;
  }
  if (typing(event.target)) {
    return;
  }
  if (event.key === "/") {
    const box = document.querySelector(".quick-search input[type=search]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  } else if (event.key === "j") {
    moveCurrent(1);
  } else if (event.key === "k") {
    moveCurrent(-1);
  } else if (event.key === "?") {
    toggleHelp();
  }
});

document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest(".keys-help-close")) {
    toggleHelp(false);
  }
});

// The map: drag to pan, the wheel or the + and - buttons to zoom, "reset" to see the world.
// Only the SVG's viewBox changes; dots keep their size on screen as the map zooms.
function mapControls(frame) {
  const svg = frame.querySelector("svg.world-map");
  const width = Number(frame.dataset.width);
  const height = Number(frame.dataset.height);
  let view = {x: 0, y: 0, w: width, h: height};

  function draw() {
    view.w = Math.min(Math.max(view.w, width / 32), width);
    view.h = view.w * height / width;
    view.x = Math.min(Math.max(view.x, 0), width - view.w);
    view.y = Math.min(Math.max(view.y, 0), height - view.h);
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    const scale = view.w / width;
    for (const dot of svg.querySelectorAll("circle[data-r]")) {
      dot.setAttribute("r", String(Math.max(Number(dot.dataset.r) * Math.sqrt(scale), 0.6)));
    }
    frame.dataset.zoom = (width / view.w).toFixed(2);
  }

  function zoom(factor, cx, cy) {
    const x = cx === undefined ? view.x + view.w / 2 : cx;
    const y = cy === undefined ? view.y + view.h / 2 : cy;
    view = {x: x - (x - view.x) / factor, y: y - (y - view.y) / factor,
      w: view.w / factor, h: view.h / factor};
    draw();
  }

  function point(event) {
    const box = svg.getBoundingClientRect();
    return {x: view.x + (event.clientX - box.left) / box.width * view.w,
      y: view.y + (event.clientY - box.top) / box.height * view.h};
  }

  const bar = document.createElement("div");
  bar.className = "map-buttons";
  for (const [label, name, action] of [["+", "Zoom in", () => zoom(2)],
    ["\u2212", "Zoom out", () => zoom(0.5)],
    ["reset", "Show the whole world", () => { view = {x: 0, y: 0, w: width, h: height}; draw(); }]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.title = name;
    button.setAttribute("aria-label", name);
    button.addEventListener("click", action);
    bar.append(button);
  }
  frame.prepend(bar);

  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    const at = point(event);
    zoom(event.deltaY < 0 ? 1.25 : 0.8, at.x, at.y);
  }, {passive: false});

  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    drag = {x: event.clientX, y: event.clientY, view: {...view}, moved: false};
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) {
      return;
    }
    const box = svg.getBoundingClientRect();
    const dx = (event.clientX - drag.x) / box.width * drag.view.w;
    const dy = (event.clientY - drag.y) / box.height * drag.view.h;
    if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 3) {
      drag.moved = true;
      svg.setPointerCapture(event.pointerId);
    }
    view = {...drag.view, x: drag.view.x - dx, y: drag.view.y - dy};
    draw();
  });
  svg.addEventListener("pointerup", () => {
    const moved = drag && drag.moved;
    drag = null;
    if (moved) {  // a drag that ends on a dot does not follow its link
      svg.addEventListener("click", (event) => event.preventDefault(), {once: true, capture: true});
    }
  });
  frame.showPlace = (x, y) => {
    view = {x: x - width / 16, y: y - height / 16, w: width / 8, h: height / 8};
    draw();
  };
  frame.addEventListener("keydown", (event) => {
    if (event.key === "+" || event.key === "=") {
      zoom(2);
    } else if (event.key === "-") {
      zoom(0.5);
    }
  });
  draw();
}

for (const frame of document.querySelectorAll(".map-frame")) {
  mapControls(frame);
}

// The list beside the map: a button on each place shows it on the map, zoomed in.
for (const row of document.querySelectorAll("tr.place-row[data-x]")) {
  const frame = document.querySelector(".map-frame");
  if (!frame || !frame.showPlace) {
    break;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "show-place";
  button.textContent = "show";
  button.title = "Show this place on the map";
  button.addEventListener("click", () => {
    frame.showPlace(Number(row.dataset.x), Number(row.dataset.y));
    frame.scrollIntoView({block: "nearest"});
  });
  row.cells[0].append(" ", button);
}
