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
