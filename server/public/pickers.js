// pickers.js: turns each directory picker ([data-picker], templates/partials/form/picker.hbs) into a
// searchable tom-select, grouped by unit. Without this file the picker still works: a grouped
// <select>, check boxes, or (above the inline limit) a text input the server reads names from.
// Loaded only on pages that have a picker; tom-select is served from node_modules (server/app.ts).
(function () {
  'use strict';

  function label(name) {
    return document.body.getAttribute('data-label-picker-' + name) || '';
  }

  /** Options and picks from what the server rendered: check boxes, a <select>, or the picked list. */
  function readChoices(root) {
    var options = [];
    var picked = [];
    if (root.hasAttribute('data-picker-search')) {
      root.querySelectorAll('.lz-picker__picks li').forEach(function (li) {
        options.push({ value: li.getAttribute('data-value'), name: li.getAttribute('data-name'), group: li.getAttribute('data-group') || '', label: li.textContent });
        picked.push(li.getAttribute('data-value'));
      });
    } else if (root.hasAttribute('data-picker-multiple')) {
      root.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        options.push({ value: box.value, name: box.getAttribute('data-name'), group: box.getAttribute('data-group') || '' });
        if (box.checked) picked.push(box.value);
      });
    } else {
      root.querySelectorAll('select option').forEach(function (o) {
        if (!o.value) return;
        var g = o.parentElement && o.parentElement.tagName === 'OPTGROUP' ? o.parentElement.getAttribute('label') : '';
        options.push({ value: o.value, name: o.textContent, group: g || '' });
        if (o.selected) picked.push(o.value);
      });
    }
    return { options: options, picked: picked };
  }

  function groupsOf(options) {
    var seen = {};
    var out = [];
    options.forEach(function (o) {
      if (o.group && !seen[o.group]) { seen[o.group] = true; out.push({ value: o.group, label: o.group }); }
    });
    return out;
  }

  /** The <select> tom-select works on, in place of the server's control (same name and id). */
  function replaceControl(root, id, name, isMultiple) {
    var select = document.createElement('select');
    select.name = name;
    if (isMultiple) select.multiple = true;
    var old = root.querySelector('#' + CSS.escape(id));
    var choices = root.querySelector('.lz-picker__choices');
    if (choices) {
      // Check boxes sit under the fieldset's legend, which names the new control (enhancePicker).
      choices.replaceWith(select);
    } else if (old) {
      if (old.getAttribute('aria-describedby')) select.setAttribute('aria-describedby', old.getAttribute('aria-describedby'));
      old.replaceWith(select);
    }
    select.id = id;
    return select;
  }

  function render(esc, isPerson) {
    return {
      // A person shows the username too: it tells two people of one name apart (units need no id).
      option: function (d) {
        var user = isPerson ? '<span class="lz-picker__user">' + esc(d.value) + '</span>' : '';
        return '<div class="lz-picker__option"><span>' + esc(d.name) + '</span>' + user + '</div>';
      },
      // A pick names its unit too, so which of two 张伟 was taken shows on a phone (no hover there).
      item: function (d) {
        var unit = isPerson && d.group ? '<span class="lz-picker__user">' + esc(d.group) + '</span>' : '';
        return '<div class="lz-picker__option">' + esc(d.name) + unit + '</div>';
      },
      optgroup_header: function (d) { return '<div class="optgroup-header">' + esc(d.label) + '</div>'; },
      no_results: function () { return '<div class="no-results">' + esc(label('no-results')) + '</div>'; },
      loading: function () { return '<div class="lz-picker__loading">' + esc(label('loading')) + '</div>'; },
    };
  }

  /** Search mode: ask the server, which searches exactly the field's choices and returns at most 50. */
  function remoteLoad(url, status) {
    return function (query, callback) {
      var self = this;
      var sep = url.indexOf('?') < 0 ? '?' : '&';
      fetch(url + sep + 'q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
        .then(function (body) {
          groupsOf(body.items).forEach(function (g) { self.addOptionGroup(g.value, g); });
          status.textContent = body.hasMore ? label('type-more') : '';
          callback(body.items);
        })
        .catch(function () { status.textContent = label('failed'); callback(); });
    };
  }

  function enhancePicker(root) {
    if (root.hasAttribute('data-picker-ready') || typeof window.TomSelect !== 'function') return;
    root.setAttribute('data-picker-ready', '');
    // No change event (the <select>'s, or the search input's on blur) reaches the field wrapper's
    // htmx inline check: it would re-render the field mid-choice. The server checks on submit.
    root.addEventListener('change', function (e) { e.stopPropagation(); });
    var id = root.getAttribute('data-picker-id');
    var isSearch = root.hasAttribute('data-picker-search');
    var isMultiple = root.hasAttribute('data-picker-multiple');
    var isPerson = /^\/pickers\/person/.test(root.getAttribute('data-picker-url') || '');
    var got = readChoices(root);
    var select = replaceControl(root, id, root.getAttribute('data-picker'), isMultiple);
    var how = root.querySelector('.lz-picker__how');
    if (how) how.hidden = true;
    var status = document.createElement('p');
    status.className = 'lz-hint lz-picker__status';
    status.setAttribute('aria-live', 'polite');
    select.insertAdjacentElement('afterend', status);
    var esc = function (s) {
      return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
    };
    var config = {
      valueField: 'value',
      labelField: 'name',
      searchField: ['name', 'value', 'group'],
      optgroupField: 'group',
      options: got.options,
      optgroups: groupsOf(got.options),
      items: got.picked,
      maxItems: isMultiple ? null : 1,
      maxOptions: 50,
      hideSelected: isMultiple,
      // Filter on each keystroke: a throttled refresh that fires after a pick (or Escape) reopens
      // the dropdown and takes the focus back from whatever the user went on to.
      refreshThrottle: 0,
      closeAfterSelect: !isMultiple,
      placeholder: label(isPerson ? 'placeholder' : 'placeholder-org'),
      plugins: isMultiple ? { remove_button: { title: label('remove') } } : {},
      render: render(esc, isPerson),
    };
    if (isSearch) {
      config.load = remoteLoad(root.getAttribute('data-picker-url'), status);
      config.shouldLoad = function (q) { return q.trim().length > 0; };
      config.loadThrottle = 250;
      // The server has already matched and ranked: show what it sent, in its order.
      config.score = function () { return function () { return 1; }; };
    }
    var named = root.querySelector('label, legend');
    var ts = new window.TomSelect(select, config);
    // tom-select points a <label> at its own input; the hidden <select>, and an input under a
    // legend (no label), get the name as aria-label so assistive tools still announce it.
    var name = named ? named.textContent.replace(/\s+/g, ' ').trim() : '';
    select.setAttribute('aria-label', name);
    if (!ts.control_input.hasAttribute('aria-labelledby')) ts.control_input.setAttribute('aria-label', name);
    // The error summary links to #<field id>, which is now the hidden <select>: pass the focus on.
    select.addEventListener('focus', function () { ts.focus(); });
  }

  function enhanceAll() {
    document.querySelectorAll('[data-picker]').forEach(enhancePicker);
  }

  document.addEventListener('DOMContentLoaded', enhanceAll);
  // A 422 re-render swapped in by htmx brings plain controls again.
  document.addEventListener('htmx:after:settle', enhanceAll);
})();
