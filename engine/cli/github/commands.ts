// GitHub Actions workflow commands (`::error file=...,line=...::message`), escaped exactly as
// @actions/core does (toCommandValue, escapeData, escapeProperty in its command.ts and utils.ts).

export type CommandProperties = Record<string, string | number | undefined>;

/** A value as @actions/core passes it on: strings as they are, anything else as JSON, nothing as ''. */
export function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string' || input instanceof String) return String(input);
  return JSON.stringify(input);
}

/** The message part: %, CR and LF escaped. */
export function escapeData(value: unknown): string {
  return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property's value: also : and , escaped, since they separate properties. */
export function escapeProperty(value: unknown): string {
  return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::command key=value,key=value::message`; properties without a value are left out, as @actions/core does. */
export function workflowCommand(command: string, properties: CommandProperties, message: unknown): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(value)}`);
  return `::${command}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}`;
}
