import 'server-only';

/** What went wrong, in classes a chart can show as such ("Prometheus unreachable" is not "no data"). */
export class PrometheusError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'bad-query' | 'server',
    message: string,
  ) {
    super(message);
  }
}

export type Sample = [number, number];

export interface Series {
  labels: Record<string, string>;
  values: Sample[];
}

interface ApiResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] };
}

const toSample = ([t, v]: [number, string]): Sample => [t, Number(v)];

export class PrometheusClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call(path: string, params: Record<string, string>): Promise<NonNullable<ApiResponse['data']>> {
    const body = new URLSearchParams({ ...params, timeout: `${Math.floor(this.timeoutMs / 1000)}s` });
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new PrometheusError('timeout', `Prometheus did not answer within ${this.timeoutMs} ms`);
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
      throw new PrometheusError('unreachable', `Prometheus at ${this.baseUrl} is unreachable (${cause})`);
    }
    const json = (await res.json().catch(() => null)) as ApiResponse | null;
    if (!json) throw new PrometheusError('server', `Prometheus answered ${res.status} without JSON`);
    if (json.status !== 'success' || !json.data) {
      const kind = json.errorType === 'bad_data' ? 'bad-query' : json.errorType === 'timeout' ? 'timeout' : 'server';
      throw new PrometheusError(kind, `${json.errorType ?? res.status}: ${json.error ?? 'unknown error'}`);
    }
    return json.data;
  }

  async query(promql: string, time?: number): Promise<{ labels: Record<string, string>; sample: Sample }[]> {
    const data = await this.call('/api/v1/query', { query: promql, ...(time ? { time: String(time) } : {}) });
    if (data.resultType === 'scalar') {
      const value = data.result as unknown as [number, string];
      return [{ labels: {}, sample: toSample(value) }];
    }
    return data.result.filter((r) => r.value).map((r) => ({ labels: r.metric, sample: toSample(r.value as [number, string]) }));
  }

  async queryRange(promql: string, start: number, end: number, step: number): Promise<Series[]> {
    const data = await this.call('/api/v1/query_range', { query: promql, start: String(start), end: String(end), step: String(step) });
    return data.result.map((r) => ({ labels: r.metric, values: (r.values ?? []).map(toSample) }));
  }
}
