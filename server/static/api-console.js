// The API docs page's console: pick an operation, fill the path and body, send it.
const form = document.getElementById('api-console');
const operation = document.getElementById('console-operation');
const path = document.getElementById('console-path');
const body = document.getElementById('console-body');
const token = document.getElementById('console-token');
const result = document.getElementById('console-result');

function chosen() {
  const [method, template] = operation.value.split(' ');
  return { method, template };
}

function syncPath() {
  path.value = chosen().template;
  body.disabled = ['GET', 'DELETE'].includes(chosen().method);
}

operation.addEventListener('change', syncPath);
syncPath();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const { method } = chosen();
  const headers = { Accept: 'application/json' };
  if (token.value.trim()) headers.Authorization = `Bearer ${token.value.trim()}`;
  const init = { method, headers };
  if (!body.disabled && body.value.trim()) {
    headers['Content-Type'] = 'application/json';
    init.body = body.value;
  }
  result.textContent = '…';
  try {
    const response = await fetch(path.value, init);
    const type = response.headers.get('Content-Type') || '';
    let text;
    if (type.includes('json')) text = JSON.stringify(await response.json(), null, 2);
    else text = `(${type}, ${(await response.blob()).size} bytes)`;
    result.textContent = `${response.status} ${response.statusText}\n${text}`;
    const answer = type.includes('json') ? JSON.parse(text) : null;
    if (answer && answer.token) token.value = answer.token;
  } catch (error) {
    result.textContent = String(error);
  }
});
