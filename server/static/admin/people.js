// People pages: sortable tables, confirmations, "select all" for the sign-in cards, a filter
// box over a long list of units, and on an import's dry run: show only one outcome's rows.
import { enhanceTables, filterImportPlan } from './tables.js';

enhanceTables();

const selectAll = document.querySelector('[data-select-all]');
if (selectAll) {
  const boxes = [...document.querySelectorAll('input[name="user_ids"][type="checkbox"]')];
  selectAll.hidden = false;
  selectAll.addEventListener('change', () => {
    for (const box of boxes) box.checked = selectAll.checked;
  });
}

for (const input of document.querySelectorAll('[data-unit-filter]')) {
  const select = input.parentElement.querySelector('[data-unit-select]');
  if (!select) continue;
  input.hidden = false;
  input.addEventListener('input', () => {
    const wanted = input.value.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/gi, 'd').toLowerCase().trim();
    for (const option of select.options) {
      const text = option.textContent.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/gi, 'd').toLowerCase();
      // A chosen unit stays visible, so what is selected is never hidden by the filter.
      option.hidden = Boolean(wanted) && !option.selected && !text.includes(wanted);
    }
  });
}

filterImportPlan();
