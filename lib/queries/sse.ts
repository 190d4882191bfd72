/** One server-sent event, as the EventSource spec dispatches it. */
export interface SseMessage {
  event: string;
  data: string;
  /** The `id:` field of this event, when it carried one. */
  id: string | null;
}

/**
 * Incremental text/event-stream parser (WHATWG HTML, "Interpreting an event stream"): feed it decoded
 * chunks as they arrive, get back the events they completed. We read the stream with fetch rather
 * than EventSource because EventSource hides the HTTP status of a failed connection and gives up for
 * good after one, and it cannot be told to reconnect without Last-Event-ID.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;

  push(chunk: string): SseMessage[] {
    let text = this.buffer + chunk;
    // A trailing \r may be the first half of a \r\n split across chunks: keep it for the next one.
    const held = text.endsWith('\r') ? '\r' : '';
    if (held) text = text.slice(0, -1);
    const messages: SseMessage[] = [];
    const lines = text.split(/\r\n|\r|\n/);
    // The last piece is an incomplete line.
    this.buffer = (lines.pop() ?? '') + held;
    for (const line of lines) {
      if (line === '') {
        if (this.data.length > 0) messages.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
        this.event = '';
        this.data = [];
        this.id = null;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.id = value;
    }
    return messages;
  }
}
