const serialized = new WeakMap<object, string>();

/** A request's tool definitions as JSON text, serialised once however many stages read it (routing signals, token estimate). */
export function toolsJson(tools: readonly object[]): string {
  let json = serialized.get(tools);
  if (json === undefined) serialized.set(tools, (json = JSON.stringify(tools)));
  return json;
}
