/* Progressive enhancement: a filter box for sections marked data-filter and sortable columns
   for tables marked .sortable. Without this script the page is complete and readable. */
(function () {
  'use strict';
  var root = document.documentElement;

  function text(cell) {
    return cell ? cell.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  /* The headings of the body and organisation sections a row is in: a row is found by them too
     (typing "iso" finds the items of ISO/TC 307). */
  function headings(row) {
    var names = [];
    for (var part = row.closest('section.body, section.org'); part; part = part.parentElement.closest('section.body, section.org')) {
      var heading = part.querySelector('h3, h4');
      if (heading) { names.push(heading.textContent); }
    }
    return names.join(' ');
  }

  function addFilter(section) {
    var rows = Array.prototype.slice.call(section.querySelectorAll('table tbody tr'));
    if (!rows.length) { return; }
    /* What each row is found by, read once (the rows' text does not change). */
    var hays = rows.map(function (row) { return (row.textContent + ' ' + headings(row)).toLowerCase(); });
    var label = document.createElement('label');
    var input = document.createElement('input');
    var count = document.createElement('output');
    var box = document.createElement('div');
    box.className = 'filter';
    input.type = 'search';
    input.placeholder = 'Filter ' + section.getAttribute('data-filter');
    label.textContent = 'Filter: ';
    label.appendChild(input);
    box.appendChild(label);
    box.appendChild(count);
    var intro = section.querySelector(':scope > p') || section.querySelector('h2');
    intro.parentNode.insertBefore(box, intro.nextSibling);
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = words.every(function (w) { return hays[i].indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      section.querySelectorAll('section.body, section.org').forEach(function (part) {
        part.hidden = words.length > 0 && !part.querySelector('tbody tr:not([hidden])');
      });
      count.textContent = shown + ' of ' + rows.length + ' shown';
    }
    input.addEventListener('input', apply);
    apply();
  }

  /* A cell sorts by its data-sort (a priority's rank), else by its text. */
  function sortKey(cell) {
    return cell && cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : text(cell);
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) { return x - y; }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  }

  function sortBy(table, index, th) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r, s) {
      var order = compare(sortKey(r.cells[index]), sortKey(s.cells[index]));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function makeSortable(table) {
    table.querySelectorAll('thead th').forEach(function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener('click', function () { sortBy(table, index, th); });
    });
  }

  document.querySelectorAll('[data-filter]').forEach(addFilter);
  document.querySelectorAll('table.sortable').forEach(makeSortable);
  root.classList.add('js');
}());
