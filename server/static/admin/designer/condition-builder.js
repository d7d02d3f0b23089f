// The condition builder's model of an expression, read with the volunteer app's own parser.
//
// A builder model is {combinator: "and" | "or", rows: [{question, operator, value}]}:
// `question` is a question name or "." (this question's value, in a constraint), `value` a
// string or a number (null for answered / not answered). An expression is shown in the
// builder only when it is exactly such a flat list; anything else stays text.
//
// Lossless: a condition opened from text keeps that text, byte for byte, for as long as the
// builder shows the same thing; only a real change writes the builder's canonical text.
// forms/vectors/condition_builder.json fixes the behaviour (node and pytest run it).
import { ExpressionError, parse } from "../../../app/js/form-logic-expr.js";

export const COMPARISONS = ["=", "!=", "<", "<=", ">", ">="];
export const OPERATORS = [...COMPARISONS, "selected", "not_selected", "answered", "not_answered"];
export const NO_VALUE = new Set(["answered", "not_answered"]);
export const CURRENT = ".";
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// What the tokenizer reads as a number (a minus sign is the unary operator).
const NUMBER_TEXT = /^([0-9]+\.?[0-9]*|\.[0-9]+)$/;

export class BuilderError extends Error {
  constructor(code, row, message) {
    super(message.en);
    this.name = "BuilderError";
    this.code = code;
    this.row = row;
    this.messages = message;
  }
}

const ROW_MESSAGES = {
  no_question: { vi: "Hãy chọn câu hỏi.", en: "Choose a question." },
  bad_operator: { vi: "Phép so sánh không hợp lệ.", en: "Not a valid comparison." },
  no_value: { vi: "Hãy nhập giá trị.", en: "Enter a value." },
  bad_number: { vi: "Giá trị phải là một số.", en: "The value must be a number." },
  unwritable_value: {
    vi: "Giá trị không được chứa cả dấu nháy đơn và nháy kép.",
    en: "A value cannot hold both a single and a double quote.",
  },
};

/** An empty builder: no rows (the expression is absent). */
export function emptyModel() {
  return { combinator: "and", rows: [] };
}

function subject(node) {
  if (node[0] === "ref") return node[1];
  if (node[0] === "cur") return CURRENT;
  return null;
}

// A literal as the builder holds it, or undefined when the node is not one.
function literal(node) {
  if (node[0] === "str") return node[1];
  if (node[0] === "num") return node[1];
  if (node[0] === "neg" && node[1][0] === "num") return node[1][1] === 0 ? undefined : -node[1][1];
  return undefined;
}

function callOf(node, name, arity) {
  return node[0] === "call" && node[1] === name && node[2].length === arity ? node[2] : null;
}

function rowOf(node) {
  if (node[0] === "op" && COMPARISONS.includes(node[1])) {
    const question = subject(node[2]);
    const value = literal(node[3]);
    return question !== null && value !== undefined ? { question, operator: node[1], value } : null;
  }
  const negated = callOf(node, "not", 1);
  const inner = negated ? negated[0] : node;
  const selected = callOf(inner, "selected", 2);
  if (selected) {
    const question = subject(selected[0]);
    const value = literal(selected[1]);
    if (question === null || value === undefined) return null;
    return { question, operator: negated ? "not_selected" : "selected", value };
  }
  const answered = callOf(inner, "answered", 1);
  if (answered) {
    const question = subject(answered[0]);
    return question === null ? null : { question, operator: negated ? "not_answered" : "answered", value: null };
  }
  return null;
}

function chain(node, combinator) {
  if (node[0] === "op" && node[1] === combinator) return [...chain(node[2], combinator), ...chain(node[3], combinator)];
  return [node];
}

/** The builder model of an AST, or null when the builder cannot show it. */
export function modelOfAst(ast) {
  const combinator = ast[0] === "op" && (ast[1] === "and" || ast[1] === "or") ? ast[1] : "and";
  const rows = chain(ast, combinator).map(rowOf);
  if (rows.some((row) => row === null)) return null;
  const model = { combinator, rows };
  // Only what the builder writes back to the same meaning (e.g. numbers it can spell).
  try {
    writeModel(model);
  } catch (error) {
    if (error instanceof BuilderError) return null;
    throw error;
  }
  return model;
}

/**
 * Reads an expression: {status: "empty"} for no expression, {status: "builder", model},
 * {status: "text"} when it parses but the builder cannot show it, or
 * {status: "error", error: {code, position, message: {vi, en}}} when it does not parse.
 */
export function readExpression(text) {
  if (text === undefined || text === null || text === "") return { status: "empty", model: emptyModel() };
  // The list reads every shown question's expressions on each redraw: remember the readings.
  let reading = readings.get(text);
  if (!reading) {
    if (readings.size >= READINGS_KEPT) readings.clear();
    reading = read(text);
    readings.set(text, reading);
  }
  return structuredClone(reading);
}

const readings = new Map();
const READINGS_KEPT = 4096;

function read(text) {
  let ast;
  try {
    ast = parse(text);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { status: "error", error: { code: error.code, position: error.position, message: error.messages } };
  }
  const model = modelOfAst(ast);
  return model ? { status: "builder", model } : { status: "text" };
}

function formatNumber(value, row) {
  if (typeof value !== "number" || !Number.isFinite(value)) throw rowError("bad_number", row);
  const digits = String(Math.abs(value));
  if (!NUMBER_TEXT.test(digits)) throw rowError("bad_number", row); // 1e-7 and the like
  return value < 0 ? `-${digits}` : digits;
}

function formatString(value, row) {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw rowError("unwritable_value", row);
}

function rowError(code, row) {
  return new BuilderError(code, row, ROW_MESSAGES[code]);
}

function formatValue(value, row) {
  if (typeof value === "number") return formatNumber(value, row);
  if (typeof value === "string" && value !== "") return formatString(value, row);
  throw rowError("no_value", row);
}

function formatSubject(question, row) {
  if (question === CURRENT) return CURRENT;
  if (typeof question !== "string" || !NAME.test(question)) throw rowError("no_question", row);
  return "${" + question + "}";
}

/** One row as canonical text; throws BuilderError naming the row's problem. */
export function writeRow(row, index = 0) {
  const left = formatSubject(row.question, index);
  switch (row.operator) {
    case "selected": return `selected(${left}, ${formatValue(row.value, index)})`;
    case "not_selected": return `not(selected(${left}, ${formatValue(row.value, index)}))`;
    case "answered": return `answered(${left})`;
    case "not_answered": return `not(answered(${left}))`;
    default:
      if (!COMPARISONS.includes(row.operator)) throw rowError("bad_operator", index);
      return `${left} ${row.operator} ${formatValue(row.value, index)}`;
  }
}

/** The canonical text of a builder model ("" for no rows); throws BuilderError. */
export function writeModel(model) {
  const joiner = model.combinator === "or" ? " or " : " and ";
  return model.rows.map((row, index) => writeRow(row, index)).join(joiner);
}

/** Whether a model can be written, and if not which row fails and why. */
export function modelProblem(model) {
  try {
    writeModel(model);
    return null;
  } catch (error) {
    if (error instanceof BuilderError) return { code: error.code, row: error.row, message: error.messages };
    throw error;
  }
}

/**
 * A condition as the editor holds it: the text it was opened with and what the builder
 * makes of it. `textFor(model)` is the text to store for a builder state: the original text
 * while the builder shows what it showed, else the canonical text.
 */
export function openCondition(text) {
  const original = text ?? "";
  const reading = readExpression(original);
  const shown = reading.status === "builder" || reading.status === "empty" ? writeModel(reading.model) : null;
  return {
    original,
    reading,
    editable: shown !== null,
    textFor(model) {
      if (shown === null) return original; // never rewrite what the builder cannot show
      const written = writeModel(model);
      return written === shown ? original : written;
    },
  };
}
