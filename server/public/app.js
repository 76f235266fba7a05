// app.js: progressive enhancement only. Every form on every page works without this file.
// No inline scripts anywhere, so the pages can be served with `script-src 'self'`.
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // htmx 4 builds each request in a context object; this event is the place to add headers.
  // The server accepts the token from this header or from the form's hidden _csrf field.
  document.addEventListener('htmx:config:request', function (e) {
    var ctx = e.detail && e.detail.ctx;
    if (ctx && ctx.request && ctx.request.headers) ctx.request.headers['X-CSRF-Token'] = csrfToken();
  });

  function label(name, n) {
    var text = document.body.getAttribute('data-label-' + name) || '';
    return text.replace('{n}', String(n));
  }

  // Character count: counts what the server counts (characters, not UTF-16 units).
  function enhanceCounter(textarea) {
    var max = parseInt(textarea.getAttribute('data-maxlength'), 10);
    if (!max || textarea.hasAttribute('data-counted')) return;
    textarea.setAttribute('data-counted', '');
    // The field partial may already render the count (form/character-count); reuse it, else add one.
    var shown = document.getElementById(textarea.id + '-count');
    if (!shown) {
      shown = document.createElement('p');
      shown.className = 'lz-char-count';
      shown.id = textarea.id + '-count';
      textarea.insertAdjacentElement('afterend', shown);
    }
    shown.setAttribute('aria-hidden', 'true');
    shown.removeAttribute('aria-live');
    // Screen readers hear the count once typing pauses, not on every key (as GOV.UK's counter does).
    var live = document.createElement('p');
    live.className = 'lz-visually-hidden';
    live.setAttribute('aria-live', 'polite');
    shown.insertAdjacentElement('afterend', live);
    var timer;
    function update(announce) {
      var left = max - Array.from(textarea.value).length;
      var text = left >= 0 ? label('chars-left', left) : label('chars-over', -left);
      shown.textContent = text;
      shown.classList.toggle('lz-char-count--over', left < 0);
      clearTimeout(timer);
      if (announce) timer = setTimeout(function () { live.textContent = text; }, 800);
    }
    textarea.addEventListener('input', function () { update(true); });
    update(false);
  }

  // 常用语: the server renders the phrases as a list; with script it becomes a select that fills the opinion.
  function enhancePhrases(box) {
    if (box.hasAttribute('data-enhanced')) return;
    box.setAttribute('data-enhanced', '');
    var target = document.getElementById(box.getAttribute('data-target'));
    var items = box.querySelectorAll('li');
    if (!target || items.length === 0) return;
    var id = target.id + '-phrases';
    var lab = document.createElement('label');
    lab.className = 'lz-label lz-label--small';
    lab.setAttribute('for', id);
    lab.textContent = box.getAttribute('data-label');
    var select = document.createElement('select');
    select.className = 'lz-select';
    select.id = id;
    var first = document.createElement('option');
    first.value = '';
    first.textContent = box.getAttribute('data-choose');
    select.appendChild(first);
    items.forEach(function (li) {
      var o = document.createElement('option');
      o.value = li.textContent;
      o.textContent = li.textContent;
      select.appendChild(o);
    });
    select.addEventListener('change', function () {
      if (!select.value) return;
      target.value = target.value.trim() ? target.value.replace(/\s+$/, '') + '\n' + select.value : select.value;
      target.dispatchEvent(new Event('input', { bubbles: true }));
      select.value = '';
      target.focus();
    });
    box.innerHTML = '';
    box.appendChild(lab);
    box.appendChild(select);
  }

  function focusErrorSummary(scope) {
    var summary = (scope || document).querySelector('[data-error-summary], .lz-error-summary');
    if (summary && !summary.hasAttribute('data-focused')) {
      summary.setAttribute('data-focused', '');
      if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
      summary.focus();
    }
  }

  // 打印 on the print view: shown only with script, since all it does is call the browser's print.
  function enhancePrint(button) {
    if (button.hasAttribute('data-enhanced')) return;
    button.setAttribute('data-enhanced', '');
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  }

  function enhance(scope) {
    (scope || document).querySelectorAll('[data-print]').forEach(enhancePrint);
    (scope || document).querySelectorAll('textarea[data-maxlength]').forEach(enhanceCounter);
    (scope || document).querySelectorAll('[data-phrase-picker]').forEach(enhancePhrases);
  }

  // The one-time submission key (_once) survives the back button: pages are no-store, so going back
  // re-fetches the form with a fresh key and a second submit would start a second case. The key
  // submitted from this page is kept for the tab and put back when the page is reached by back/forward,
  // so the server sees the replay (first result, or "已经提交过一次" when the content changed).
  var ONCE = 'lvzhi-once:';
  document.addEventListener('submit', function (e) {
    var once = e.target && e.target.querySelector && e.target.querySelector('input[name="_once"]');
    try { if (once && once.value) sessionStorage.setItem(ONCE + location.pathname, once.value); } catch (err) { /* storage off: the server still refuses concurrent duplicates */ }
  }, true);
  function restoreOnceKey() {
    var nav = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    if (!nav || nav.type !== 'back_forward') return;
    var kept = null;
    try { kept = sessionStorage.getItem(ONCE + location.pathname); } catch (err) { return; }
    if (kept) document.querySelectorAll('input[name="_once"]').forEach(function (i) { i.value = kept; });
  }

  document.addEventListener('DOMContentLoaded', function () {
    restoreOnceKey();
    enhance(document);
    focusErrorSummary(document);
  });
  // After htmx swaps a fragment (a 422 form, an inline check), enhance the new content and show its errors.
  document.addEventListener('htmx:after:settle', function () {
    enhance(document);
    var form = document.getElementById('record-form');
    if (form) focusErrorSummary(form);
  });
})();
