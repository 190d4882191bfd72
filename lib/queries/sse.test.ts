import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, with ids, multi-line data and comments', () => {
    const text = 'retry: 2000\n\nevent: ready\ndata: {"resumed":true}\n\n: keep-alive\nid: e:7\nevent: upsert\ndata: {"a":\ndata: 1}\n\r\nevent: heartbeat\r\ndata: {}\r\n\r\n';
    for (const size of [1, 2, 5, text.length]) {
      const parser = new SseParser();
      const messages = [];
      for (let i = 0; i < text.length; i += size) messages.push(...parser.push(text.slice(i, i + size)));
      expect(messages).toEqual([
        { event: 'ready', data: '{"resumed":true}', id: null },
        { event: 'upsert', data: '{"a":\n1}', id: 'e:7' },
        { event: 'heartbeat', data: '{}', id: null },
      ]);
    }
  });

  it('holds an event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('event: delete\ndata: {"id":"x"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'delete', data: '{"id":"x"}', id: null }]);
  });
});
