// ballot.js: progressive enhancement of the ballot pages. Every form works without it.
// - A choose-N-of-M form shows a live count of ticked items (the server still refuses too many).
// (The chair's 签到 search is htmx's: the server searches all names and swaps the list, 50 a page.)
// - The 投屏 page listens to the server's events and swaps its panel, so it updates without reload
//   (without script its <noscript> meta refresh reloads it instead).
(function () {
  'use strict';

  function fill(text, n) { return (text || '').replace('{n}', String(n)); }

  function enhanceChooseCount(form) {
    var out = form.querySelector('[data-choose-count]');
    if (!out) return;
    var max = parseInt(out.getAttribute('data-max'), 10);
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    function update() {
      var n = 0;
      boxes.forEach(function (b) { if (b.checked) n++; });
      out.textContent = fill(out.getAttribute('data-label'), n);
      out.classList.toggle('ballot-count--over', n > max);
    }
    boxes.forEach(function (b) { b.addEventListener('change', update); });
    out.hidden = false;
    update();
  }

  function enhanceLive(panel) {
    if (!window.EventSource) return;
    var source = new EventSource(panel.getAttribute('data-live-src'));
    // The panel's HTML is rendered by the server's own template (values escaped there).
    source.addEventListener('panel', function (e) { panel.innerHTML = e.data; });
    source.addEventListener('error', function () { panel.setAttribute('data-live-lost', ''); });
    source.addEventListener('open', function () { panel.removeAttribute('data-live-lost'); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-choose]').forEach(enhanceChooseCount);
    document.querySelectorAll('[data-live-src]').forEach(enhanceLive);
  });
})();
