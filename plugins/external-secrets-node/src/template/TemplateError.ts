/**
 * A template that cannot be parsed or executed. The message names the template
 * key, the position (`line:column`) and the cause; it never contains data values.
 *
 * @public
 */
export class TemplateError extends Error {
  /** Always `TemplateError`. */
  readonly name = 'TemplateError';
  /** The template key, e.g. `config.yaml` of `template.data`. */
  readonly templateName: string;
  /** Line of the template where rendering failed. */
  readonly line: number;
  /** Column in that line. */
  readonly column: number;
  /** Set when execution needed an input key that is unavailable (its read failed). */
  readonly unavailableInput?: string;

  constructor(options: {
    templateName: string;
    line: number;
    column: number;
    cause: string;
    unavailableInput?: string;
  }) {
    super(
      `template "${options.templateName}" ${options.line}:${options.column}: ${options.cause}`,
    );
    this.templateName = options.templateName;
    this.line = options.line;
    this.column = options.column;
    this.unavailableInput = options.unavailableInput;
  }
}

/** Thrown inside the engine with an offset; `renderTemplate` turns it into a TemplateError. */
export class TemplateFailure extends Error {
  constructor(
    readonly offset: number,
    readonly cause: string,
    readonly unavailableInput?: string,
  ) {
    super(cause);
  }
}
