// The household form without a build step (and without inline script: the page's policy
// forbids it). Everything works without this file: "Add a member" then posts the page,
// which comes back with one more empty member, everything typed kept.
"use strict";

(function () {
  const form = document.querySelector("form.household-form");
  if (!form) return;
  const total = form.querySelector("input[name=members-TOTAL_FORMS]");
  const list = document.getElementById("member-forms");
  const template = document.getElementById("member-template");
  const add = document.getElementById("add-member");

  function renumber() {
    list.querySelectorAll("fieldset.member .number").forEach(function (span, index) {
      span.textContent = String(index + 1);
    });
  }

  // A member added in place: the empty form with the next index, its "do not add" box
  // replaced by a button that takes the form away again.
  add.addEventListener("click", function (event) {
    event.preventDefault();
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const card = holder.firstElementChild;
    const drop = card.querySelector("input[name$='-DELETE']");
    if (drop) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = drop.closest(".field").querySelector("label").textContent;
      button.addEventListener("click", function () {
        card.remove();
        renumber();
        add.focus();
      });
      drop.closest(".field").replaceWith(button);
    }
    list.appendChild(card);
    total.value = String(index + 1);
    renumber();
    const first = card.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  });

  // A new household's code follows the commune chosen, unless the officer typed another.
  const proposals = document.getElementById("household-codes");
  const commune = form.querySelector("select[name=commune]");
  const code = form.querySelector("input[name=code]");
  const area = form.querySelector("select[name=area]");
  if (proposals && commune && code) {
    const byCommune = JSON.parse(proposals.textContent);
    let proposed = byCommune[commune.value];
    commune.addEventListener("change", function () {
      const next = byCommune[commune.value];
      if (!next) return;
      if (proposed && code.value === proposed[0]) code.value = next[0];
      if (area && proposed && area.value === proposed[1]) area.value = next[1];
      proposed = next;
    });
  }

  // After a refused save the summary of problems takes the focus (its links lead on).
  const summary = document.getElementById("errors");
  if (summary) summary.focus();
})();
