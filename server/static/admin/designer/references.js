// Question references inside expression text, found with the volunteer app's own tokenizer.
// Renaming a question rewrites only its ${name} tokens: every other character stays.
import { ExpressionError, tokenize } from "../../../app/js/form-logic-expr.js";

export const EXPRESSION_FIELDS = ["relevant", "constraint", "calculation"];

function tokensOf(text) {
  try {
    return tokenize(text);
  } catch (error) {
    if (error instanceof ExpressionError) return null;
    throw error;
  }
}

/** The names an expression refers to (empty when it cannot be read). */
export function referencedNames(text) {
  if (typeof text !== "string") return new Set();
  const tokens = tokensOf(text) ?? [];
  return new Set(tokens.filter((token) => token[0] === "ref").map((token) => token[1]));
}

/** The text with every ${from} replaced by ${to}; unreadable text is returned unchanged. */
export function renameInExpression(text, from, to) {
  if (typeof text !== "string" || !text.includes("${" + from + "}")) return text;
  const tokens = tokensOf(text);
  if (!tokens) return text;
  let result = text;
  const refs = tokens.filter((token) => token[0] === "ref" && token[1] === from);
  for (const [, , position] of refs.reverse()) {
    result = result.slice(0, position) + "${" + to + "}" + result.slice(position + from.length + 3);
  }
  return result;
}
