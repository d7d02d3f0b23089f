// The form expression language: tokenizer, parser and evaluator (no eval, no new Function).
// Mirrors server/forms/logic.py; forms/vectors/logic.json fixes the shared semantics.
// The AST is made of arrays: ["num", 1], ["str", "a"], ["ref", "name"], ["cur"],
// ["neg", x], ["op", "+", l, r], ["call", "selected", [args]].

import * as v from "./form-logic-values.js";

const MAX_LENGTH = 4000;
const MAX_DEPTH = 60;

// name -> [fewest arguments, most arguments or null for any number]
export const FUNCTIONS = {
  selected: [2, 2], "count-selected": [1, 1], answered: [1, 1], today: [0, 0],
  if: [3, 3], "string-length": [1, 1], number: [1, 1], int: [1, 1],
  concat: [1, null], coalesce: [2, 2], not: [1, 1], true: [0, 0], false: [0, 0],
};
const KEYWORD_OPERATORS = new Set(["and", "or", "div", "mod"]);

const TOKEN = new RegExp(
  [
    `(?<space>[${v.WHITESPACE_CLASS}]+)`,
    "(?<ref>\\$\\{(?<refname>[A-Za-z_][A-Za-z0-9_]*)\\})",
    "(?<number>[0-9]+\\.?[0-9]*|\\.[0-9]+)",
    "(?<dot>\\.)",
    "(?<string>'[^']*'|\"[^\"]*\")",
    "(?<op>!=|<=|>=|=|<|>|\\+|-|\\*)",
    "(?<lparen>\\()", "(?<rparen>\\))", "(?<comma>,)",
    "(?<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)",
  ].join("|"),
  "y",
);
const KINDS = ["space", "ref", "number", "dot", "string", "op", "lparen", "rparen", "comma", "name"];

const MESSAGES = {
  syntax: ["Biểu thức sai cú pháp", "Syntax error"],
  unknown_function: ["Hàm không được hỗ trợ", "Unsupported function"],
  arity: ["Số đối số không đúng", "Wrong number of arguments"],
  too_complex: ["Biểu thức quá dài hoặc lồng quá sâu", "Expression too long or too deeply nested"],
};

export class ExpressionError extends Error {
  constructor(code, detail, position) {
    const [vi, en] = MESSAGES[code];
    super(`${en} at position ${position + 1}: ${detail}`);
    this.name = "ExpressionError";
    this.code = code;
    this.detail = detail;
    this.position = position;
    this.messages = {
      vi: `${vi} tại vị trí ${position + 1}: ${detail}`,
      en: `${en} at position ${position + 1}: ${detail}`,
    };
  }
}

export function tokenize(expr) {
  const tokens = [];
  let position = 0;
  while (position < expr.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(expr);
    if (match === null) {
      if (expr[position] === "'" || expr[position] === '"') {
        throw new ExpressionError("syntax", "chuỗi chưa đóng / unterminated string", position);
      }
      throw new ExpressionError("syntax", JSON.stringify(expr[position]), position);
    }
    const kind = KINDS.find((name) => match.groups[name] !== undefined);
    const text = match[0];
    if (kind === "ref") tokens.push(["ref", match.groups.refname, position]);
    else if (kind === "number") tokens.push(["number", Number(text), position]);
    else if (kind === "string") tokens.push(["string", v.normalizeText(text.slice(1, -1)), position]);
    else if (kind === "name" && KEYWORD_OPERATORS.has(text)) tokens.push(["op", text, position]);
    else if (kind !== "space") tokens.push([kind, text, position]);
    position += text.length;
  }
  tokens.push(["end", null, expr.length]);
  return tokens;
}

// Binary levels from loosest to tightest binding.
const LEVELS = [["or"], ["and"], ["=", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "div", "mod"]];

function describe([kind, value]) {
  if (kind === "end") return "hết biểu thức / unexpected end";
  if (kind === "ref") return "${" + value + "}";
  return kind === "string" ? JSON.stringify(value) : String(value);
}

class Parser {
  constructor(expr) {
    this.tokens = tokenize(expr);
    this.index = 0;
    this.depth = 0;
  }

  peek() { return this.tokens[this.index]; }

  take() { return this.tokens[this.index++]; }

  expect(kind) {
    const token = this.take();
    if (token[0] !== kind) throw new ExpressionError("syntax", describe(token), token[2]);
    return token;
  }

  parse() {
    const node = this.binary(0);
    const token = this.peek();
    if (token[0] !== "end") throw new ExpressionError("syntax", describe(token), token[2]);
    return node;
  }

  binary(level) {
    if (level === LEVELS.length) return this.unary();
    let node = this.binary(level + 1);
    while (this.peek()[0] === "op" && LEVELS[level].includes(this.peek()[1])) {
      const operator = this.take()[1];
      node = ["op", operator, node, this.binary(level + 1)];
    }
    return node;
  }

  unary() {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new ExpressionError("too_complex", "", this.peek()[2]);
    const token = this.peek();
    let node;
    if (token[0] === "op" && token[1] === "-") {
      this.take();
      node = ["neg", this.unary()];
    } else {
      node = this.primary();
    }
    this.depth -= 1;
    return node;
  }

  primary() {
    const token = this.take();
    const [kind, value, position] = token;
    if (kind === "number") return ["num", value];
    if (kind === "string") return ["str", value];
    if (kind === "ref") return ["ref", value];
    if (kind === "dot") return ["cur"];
    if (kind === "lparen") {
      const node = this.binary(0);
      this.expect("rparen");
      return node;
    }
    if (kind === "name") return this.call(value, position);
    throw new ExpressionError("syntax", describe(token), position);
  }

  call(name, position) {
    if (this.peek()[0] !== "lparen") throw new ExpressionError("syntax", name, position);
    if (!Object.hasOwn(FUNCTIONS, name)) throw new ExpressionError("unknown_function", name, position);
    this.take();
    const args = [];
    if (this.peek()[0] !== "rparen") {
      args.push(this.binary(0));
      while (this.peek()[0] === "comma") {
        this.take();
        args.push(this.binary(0));
      }
    }
    this.expect("rparen");
    const [fewest, most] = FUNCTIONS[name];
    if (args.length < fewest || (most !== null && args.length > most)) {
      throw new ExpressionError("arity", `${name}() ← ${args.length}`, position);
    }
    return ["call", name, args];
  }
}

const parseCache = new Map();
const PARSE_CACHE_SIZE = 4096;

// The AST of an expression; throws ExpressionError.
export function parse(expr) {
  if (typeof expr !== "string") throw new ExpressionError("syntax", "not a string", 0);
  const cached = parseCache.get(expr);
  if (cached !== undefined) return cached;
  if (expr.length > MAX_LENGTH) throw new ExpressionError("too_complex", `> ${MAX_LENGTH}`, MAX_LENGTH);
  if (v.trim(expr) === "") throw new ExpressionError("syntax", "hết biểu thức / empty", 0);
  const ast = new Parser(expr).parse();
  if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.clear();
  parseCache.set(expr, ast);
  return ast;
}

// The question names an AST refers to with ${name}.
export function references(ast, found = new Set()) {
  if (ast[0] === "ref") found.add(ast[1]);
  else if (ast[0] === "neg") references(ast[1], found);
  else if (ast[0] === "op") { references(ast[2], found); references(ast[3], found); }
  else if (ast[0] === "call") ast[2].forEach((arg) => references(arg, found));
  return found;
}

function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const ORDER_ACCEPTS = { "<": [-1], "<=": [-1, 0], ">": [1], ">=": [1, 0] };

function call(name, args, env) {
  const at = (i) => run(args[i], env);
  switch (name) {
    case "true": return true;
    case "false": return false;
    case "today": return env.today ?? localToday();
    case "if": return v.toBoolean(at(0)) ? at(1) : at(2);
    case "coalesce": {
      const first = at(0);
      return v.isEmpty(first) ? at(1) : first;
    }
    case "selected": return v.isSelected(at(0), at(1));
    case "concat": return args.map((arg) => v.toString(run(arg, env))).join("");
    case "not": return !v.toBoolean(at(0));
    case "count-selected": return v.countSelected(at(0));
    case "answered": return !v.isEmpty(at(0));
    case "string-length": return v.stringLength(at(0));
    case "number": return v.toNumber(at(0));
    case "int": return v.truncate(at(0));
    default: throw new ExpressionError("unknown_function", name, 0);
  }
}

function run(ast, env) {
  switch (ast[0]) {
    case "num":
    case "str":
      return ast[1];
    case "ref": {
      const value = Object.hasOwn(env.answers, ast[1]) ? env.answers[ast[1]] : null;
      return value === undefined ? null : value;
    }
    case "cur": return env.current === undefined ? null : env.current;
    case "neg": return v.arithmetic("-", 0, run(ast[1], env));
    case "op": {
      const operator = ast[1];
      if (operator === "and") return v.toBoolean(run(ast[2], env)) && v.toBoolean(run(ast[3], env));
      if (operator === "or") return v.toBoolean(run(ast[2], env)) || v.toBoolean(run(ast[3], env));
      const left = run(ast[2], env);
      const right = run(ast[3], env);
      if (operator === "=") return v.valuesEqual(left, right);
      if (operator === "!=") return !v.valuesEqual(left, right);
      if (Object.hasOwn(ORDER_ACCEPTS, operator)) return ORDER_ACCEPTS[operator].includes(v.compare(left, right));
      return v.arithmetic(operator, left, right);
    }
    default: return call(ast[1], ast[2], env);
  }
}

// The raw internal value (may be NaN); used by the form engine for truthiness.
export function evaluateRaw(exprOrAst, answers, { today = null, current = null } = {}) {
  const ast = typeof exprOrAst === "string" ? parse(exprOrAst) : exprOrAst;
  return run(ast, { answers: answers ?? {}, today, current });
}

// The value of an expression: null, boolean, number, string or array of strings.
export function evaluate(exprOrAst, answers, options = {}) {
  return v.exportValue(evaluateRaw(exprOrAst, answers, options));
}
