export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Formats one server-sent event. Multi-line data becomes several `data:` lines. */
export function encodeSseEvent(event: SseEvent): string {
  let text = '';
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.event !== undefined) text += `event: ${event.event}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** An SSE comment line: ignored by parsers, keeps idle connections and proxies open. */
export function encodeSseComment(comment: string): string {
  return `: ${comment.replace(/[\r\n]+/g, ' ')}\n\n`;
}
