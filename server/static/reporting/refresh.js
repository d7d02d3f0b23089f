// A report page showing "Đang tính số liệu…" reloads itself: after a few seconds when the
// next view makes the missing figures (past this view's time budget), after a minute and a
// half when a scheduled job makes them (data-reload-seconds; 90 by default); a few times
// at most, so a page left open does not reload all day.
const DEFAULT_SECONDS = 90;
const MAX_RELOADS = 10;
const key = `reporting-reloads:${location.pathname}${location.search}`;

const marker = document.querySelector("[data-reload-seconds]");
if (marker || document.querySelector("[data-pending]")) {
  const seconds = Number(marker?.dataset.reloadSeconds) || DEFAULT_SECONDS;
  const done = Number(sessionStorage.getItem(key) || 0);
  if (done < MAX_RELOADS) {
    setTimeout(() => {
      sessionStorage.setItem(key, String(done + 1));
      location.reload();
    }, seconds * 1000);
  }
} else {
  sessionStorage.removeItem(key);
}
