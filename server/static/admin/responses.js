// Responses browser: a confirmation before excluding or counting a response again, and a
// new round picked in the filter shows that round's units and volunteers at once; a unit
// picked shows the units just below it (the list opens a level at a time).

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

for (const form of document.querySelectorAll('form[data-autosubmit-round]')) {
  const round = form.querySelector('select[name="round"]');
  if (!round) continue;
  round.addEventListener('change', () => {
    // the unit and volunteer belong to the previous round
    for (const name of ['unit', 'volunteer']) {
      const field = form.querySelector(`[name="${name}"]`);
      if (field) field.value = '';
    }
    form.requestSubmit();
  });
  const unit = form.querySelector('select[name="unit"]');
  if (unit) unit.addEventListener('change', () => form.requestSubmit());
}
