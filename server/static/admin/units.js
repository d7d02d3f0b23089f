// Units pages: sortable tables, confirmations, "expand / collapse all" on the tree, and on
// an import's dry run: a click on an outcome's count shows only its rows (again: all rows).
import { enhanceTables, filterImportPlan } from './tables.js';

enhanceTables();

const tree = document.querySelector('[data-unit-tree]');
if (tree) {
  for (const button of document.querySelectorAll('[data-tree-toggle]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const open = button.dataset.treeToggle === 'open';
      for (const details of tree.querySelectorAll('details')) details.open = open;
    });
  }
}

filterImportPlan();
