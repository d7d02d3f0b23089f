// Rounds pages: sortable tables, a confirmation before closing or reopening a round, and on
// the planning form: choosing a root unit shows its units at once, and checking a unit
// unchecks the units inside or above it (a unit and its groups never both take part).
// Every page works without this script.

function cellValue(row, index) {
  const cell = row.cells[index];
  if (!cell) return '';
  return cell.dataset.sortValue ?? cell.textContent.trim();
}

function compare(a, b, numeric) {
  if (numeric) return (Number(a) || 0) - (Number(b) || 0);
  return a.localeCompare(b, 'vi');
}

function makeSortable(table) {
  const body = table.tBodies[0];
  if (!body) return;
  [...table.tHead.rows[0].cells].forEach((header, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.textContent = header.textContent;
    header.textContent = '';
    header.append(button);
    header.setAttribute('aria-sort', 'none');
    button.addEventListener('click', () => {
      const ascending = header.getAttribute('aria-sort') !== 'ascending';
      for (const other of table.tHead.rows[0].cells) other.setAttribute('aria-sort', 'none');
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const numeric = header.classList.contains('num');
      const rows = [...body.rows].sort((a, b) => compare(cellValue(a, index), cellValue(b, index), numeric));
      if (!ascending) rows.reverse();
      body.append(...rows);
    });
  });
}

for (const table of document.querySelectorAll('table[data-sortable]')) makeSortable(table);

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

const rootSelect = document.querySelector('[data-root-select]');
const showUnits = document.querySelector('[data-show-units]');
if (rootSelect && showUnits) {
  rootSelect.addEventListener('change', () => showUnits.click());
}

const pick = document.querySelector('[data-unit-pick]');
if (pick) {
  const rows = [...pick.tBodies[0].rows];
  pick.addEventListener('change', (event) => {
    const box = event.target;
    if (box.name !== 'include' || !box.checked) return;
    const path = box.closest('tr').dataset.path;
    for (const row of rows) {
      const other = row.dataset.path;
      if (other !== path && (other.startsWith(path) || path.startsWith(other))) {
        row.querySelector('input[name="include"]').checked = false;
      }
    }
  });
}
