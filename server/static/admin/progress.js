// Progress page: the round picker shows its round at once, and the units table sorts in
// place (every row is on the page). Without this script the same links sort on the server.

for (const form of document.querySelectorAll('form[data-autosubmit]')) {
  for (const select of form.querySelectorAll('select')) {
    select.addEventListener('change', () => form.requestSubmit());
  }
}

const collator = new Intl.Collator(document.documentElement.lang || 'vi', { numeric: true });

function cellValue(row, index) {
  const cell = row.cells[index];
  return cell ? cell.dataset.value ?? cell.textContent.trim() : '';
}

function compare(a, b, numeric) {
  if (numeric) return Number(a) - Number(b);
  return collator.compare(a, b);
}

function sortTable(table, header) {
  const index = Array.prototype.indexOf.call(header.parentElement.children, header);
  const numeric = header.classList.contains('num');
  // a second click reverses; numbers start largest first, names A to Z
  const descending = header.getAttribute('aria-sort') === 'none'
    ? numeric
    : header.getAttribute('aria-sort') === 'ascending';
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const order = compare(cellValue(a, index), cellValue(b, index), numeric);
    return descending ? -order : order;
  });
  body.append(...rows);
  for (const th of header.parentElement.children) th.setAttribute('aria-sort', 'none');
  header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
}

for (const table of document.querySelectorAll('table.sortable')) {
  for (const header of table.tHead.rows[0].cells) {
    const link = header.querySelector('a');
    if (!link) continue;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      sortTable(table, header);
    });
  }
}
