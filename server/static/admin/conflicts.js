// Conflicts: sortable list; on a conflict, "show only the answers that differ" and a
// confirmation naming the decision before it is saved. The pages work without this.
import { enhanceTables } from './tables.js';

enhanceTables();

for (const toggle of document.querySelectorAll('[data-diff-toggle]')) {
  const table = document.querySelector('table[data-answers]');
  const box = toggle.querySelector('input[data-only-changed]');
  if (!table || !box) continue;
  toggle.hidden = false;
  box.addEventListener('change', () => {
    for (const row of table.tBodies[0].rows) {
      row.hidden = box.checked && !row.classList.contains('is-changed');
    }
  });
}

for (const form of document.querySelectorAll('form.decision-form')) {
  form.addEventListener('submit', (event) => {
    const picked = form.querySelector('input[name="resolution"]:checked');
    if (!picked) return; // the browser asks for a choice first
    const message = picked.value === 'used_submitted' ? form.dataset.confirmUsed : form.dataset.confirmKept;
    if (message && !window.confirm(message)) event.preventDefault();
  });
}
