// What goes wrong in a user's scenario, said so that they can fix it: the file, the line
// and column, the field's path, what was expected, and a suggestion when one is near.

/** A place in a source file; line and column are 1-based. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ScenarioIssue {
  /** Where; absent only when the problem has no place (e.g. the file cannot be read). */
  readonly pos?: SourcePos;
  /** The field's path, e.g. `centers[0].groups[1].count` (empty for the document). */
  readonly path: string;
  /** What is wrong, e.g. `-3 is not allowed`. */
  readonly message: string;
  /** What was expected, e.g. `a whole number >= 0`. */
  readonly expected?: string;
  /** A likely fix, e.g. `did you mean \`patience\`?` */
  readonly hint?: string;
}

export function formatIssue(issue: ScenarioIssue): string {
  const where = issue.pos ? `${issue.pos.file}:${issue.pos.line}:${issue.pos.column}` : '';
  const field = issue.path ? `${issue.path}: ` : '';
  let text = `${where}${where ? ': ' : ''}${field}${issue.message}`;
  if (issue.expected) text += `; expected ${issue.expected}`;
  if (issue.hint) text += ` (${issue.hint})`;
  return text;
}

/** Every problem found in a scenario (and its overrides) at once. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly issues: readonly ScenarioIssue[]) {
    super(
      issues.length === 1
        ? formatIssue(issues[0]!)
        : `${issues.length} problems:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
  }
}
