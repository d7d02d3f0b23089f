// The phone preview shows a draft in one language: every text of the chosen language,
// Vietnamese where a translation is missing (as the volunteer app falls back). Pure.

const TEXT_FIELDS = ["label", "hint", "constraint_message", "title", "description"];

/** The definition with every text in one language (Vietnamese where it is missing). */
export function inLanguage(definition, language) {
  const pickText = (label) => {
    if (!label || typeof label !== "object") return label;
    const text = label[language] || label.vi || Object.values(label)[0];
    return text === undefined ? label : { vi: text };
  };
  const question = (q) => {
    const copy = { ...q };
    for (const field of TEXT_FIELDS) if (field in copy) copy[field] = pickText(copy[field]);
    if (Array.isArray(q.questions)) copy.questions = q.questions.map(question);
    return copy;
  };
  const lists = {};
  for (const [name, choices] of Object.entries(definition.choice_lists ?? {})) {
    lists[name] = Array.isArray(choices) ? choices.map((choice) => ({ ...choice, label: pickText(choice.label) })) : choices;
  }
  return {
    ...definition, title: pickText(definition.title), choice_lists: lists,
    questions: (definition.questions ?? []).filter((q) => q && typeof q === "object").map(question),
  };
}
