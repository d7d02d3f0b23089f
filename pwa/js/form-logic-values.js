// The value semantics of the form expression language.
// Mirrors server/forms/logic_values.py; forms/vectors/logic.json fixes what both share.
// Values are null (empty), string, number, boolean or an array of strings (select_multiple).
// NaN stands for "not a number" and never leaves evaluate().

// An explicit set, so that JavaScript and Python trim exactly the same characters.
const WHITESPACE = " \\t\\n\\r\\f\\v\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
const TRIM = new RegExp(`^[${WHITESPACE}]+|[${WHITESPACE}]+$`, "g");
const SPLIT = new RegExp(`[${WHITESPACE}]+`);
const NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/;
export const WHITESPACE_CLASS = WHITESPACE;
export const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

export function normalizeText(text) {
  return text.normalize("NFC");
}

export function trim(text) {
  return text.replace(TRIM, "");
}

export function splitTokens(text) {
  return text.split(SPLIT).filter((token) => token !== "");
}

export function isNumber(value) {
  return typeof value === "number";
}

export function parseNumberText(text) {
  const trimmed = trim(text);
  if (!NUMBER.test(trimmed)) return NaN;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : NaN;
}

export function isEmpty(value) {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return trim(value) === "";
  if (Array.isArray(value)) return value.length === 0;
  return !(typeof value === "boolean" || typeof value === "number");
}

export function toNumber(value) {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? value : NaN;
  if (typeof value === "string") return parseNumberText(value);
  if (Array.isArray(value)) return parseNumberText(toString(value));
  return NaN;
}

export function toBoolean(value) {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return !Number.isNaN(value) && value !== 0;
  if (typeof value === "string") return !isEmpty(value);
  if (Array.isArray(value)) return value.length > 0;
  return false;
}

export function toString(value) {
  if (typeof value === "string") return normalizeText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatNumber(value);
  if (Array.isArray(value)) return value.map(toString).join(" ");
  return "";
}

export function formatNumber(value) {
  if (value === 0) return "0"; // also -0
  return String(value);
}

function flatten(value) {
  return Array.isArray(value) ? toString(value) : value;
}

export function valuesEqual(leftValue, rightValue) {
  const left = flatten(leftValue);
  const right = flatten(rightValue);
  const leftEmpty = isEmpty(left);
  const rightEmpty = isEmpty(right);
  if (leftEmpty || rightEmpty) return leftEmpty && rightEmpty;
  if (typeof left === "boolean" || typeof right === "boolean") {
    return toBoolean(left) === toBoolean(right);
  }
  if (typeof left === "number" || typeof right === "number") {
    return toNumber(left) === toNumber(right);
  }
  return normalizeText(left) === normalizeText(right);
}

// Code-point order, as Python compares strings (JavaScript's < compares UTF-16 units).
export function compareCodePoints(a, b) {
  const left = Array.from(a);
  const right = Array.from(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const x = left[i].codePointAt(0);
    const y = right[i].codePointAt(0);
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

// -1, 0 or 1; null when the two cannot be ordered (empty or not a number).
export function compare(leftValue, rightValue) {
  const left = flatten(leftValue);
  const right = flatten(rightValue);
  if (isEmpty(left) || isEmpty(right)) return null;
  let a;
  let b;
  if (typeof left === "string" && typeof right === "string") {
    a = parseNumberText(left);
    b = parseNumberText(right);
    if (Number.isNaN(a) || Number.isNaN(b)) {
      return compareCodePoints(normalizeText(left), normalizeText(right));
    }
  } else {
    a = toNumber(left);
    b = toNumber(right);
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
  }
  return a > b ? 1 : a < b ? -1 : 0;
}

export function isSelected(value, choice) {
  const wanted = trim(toString(choice));
  if (Array.isArray(value)) return value.some((item) => toString(item) === wanted);
  if (isEmpty(value)) return false;
  return splitTokens(toString(value)).includes(wanted);
}

export function countSelected(value) {
  if (Array.isArray(value)) return value.length;
  if (isEmpty(value)) return 0;
  return splitTokens(toString(value)).length;
}

export function stringLength(value) {
  return Array.from(toString(value)).length;
}

export function arithmetic(operator, leftValue, rightValue) {
  const a = toNumber(leftValue);
  const b = toNumber(rightValue);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  let result;
  if (operator === "+") result = a + b;
  else if (operator === "-") result = a - b;
  else if (operator === "*") result = a * b;
  else if (b === 0) return NaN; // div and mod by zero: no value, on both sides
  else if (operator === "div") result = a / b;
  else result = a % b; // truncated, like Python's math.fmod
  return Number.isFinite(result) ? result : NaN;
}

export function truncate(value) {
  const number = toNumber(value);
  return Number.isNaN(number) ? NaN : Math.trunc(number);
}

// What evaluate() hands back: no NaN, no -0, text NFC.
export function exportValue(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    return value === 0 ? 0 : value;
  }
  if (typeof value === "string") return normalizeText(value);
  if (Array.isArray(value)) return value.map(toString);
  return null;
}
