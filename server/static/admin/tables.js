// Small helpers the Units and People pages share: sortable tables and confirmations.
// Every page works without them.

function cellValue(row, index) {
  const cell = row.cells[index];
  if (!cell) return '';
  return cell.dataset.sortValue ?? cell.textContent.trim();
}

function compare(a, b, numeric) {
  if (numeric) return (Number(a) || 0) - (Number(b) || 0);
  return a.localeCompare(b, 'vi', { numeric: true });
}

export function makeSortable(table) {
  const body = table.tBodies[0];
  if (!body || !table.tHead) return;
  [...table.tHead.rows[0].cells].forEach((header, index) => {
    if (header.dataset.noSort !== undefined) return;
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

export function confirmBeforeSubmit(form) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

export function enhanceTables(root = document) {
  for (const table of root.querySelectorAll('table[data-sortable]')) makeSortable(table);
  for (const form of root.querySelectorAll('form[data-confirm]')) confirmBeforeSubmit(form);
}

// An import's dry run: a click on an outcome's count shows only its rows (again: all rows).
export function filterImportPlan() {
  const filter = document.querySelector('[data-outcome-filter]');
  const planRows = [...document.querySelectorAll('table.import-plan tbody tr')];
  if (!filter || !planRows.length) return;
  let shown = null;
  for (const badge of filter.querySelectorAll('[data-outcome]')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `link outcome-button ${badge.className}`;
    button.dataset.outcome = badge.dataset.outcome;
    button.append(...badge.childNodes);
    button.setAttribute('aria-pressed', 'false');
    badge.replaceWith(button);
    button.addEventListener('click', () => {
      shown = shown === button.dataset.outcome ? null : button.dataset.outcome;
      for (const other of filter.querySelectorAll('button')) {
        other.setAttribute('aria-pressed', String(other.dataset.outcome === shown));
      }
      for (const row of planRows) row.hidden = shown !== null && row.dataset.outcome !== shown;
    });
  }
}
