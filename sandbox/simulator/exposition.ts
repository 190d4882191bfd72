/** A small Prometheus text-format store whose series can be dropped when a pod goes away. */

type Labels = Record<string, string>;

interface CounterFamily {
  type: 'counter';
  help: string;
  series: Map<string, { labels: Labels; value: number }>;
}

interface HistogramFamily {
  type: 'histogram';
  help: string;
  buckets: number[];
  series: Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>;
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const render = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;

export class MetricStore {
  private readonly families = new Map<string, CounterFamily | HistogramFamily>();

  counter(name: string, help: string): void {
    this.families.set(name, { type: 'counter', help, series: new Map() });
  }

  histogram(name: string, help: string, buckets: number[]): void {
    this.families.set(name, { type: 'histogram', help, buckets: [...buckets].sort((a, b) => a - b), series: new Map() });
  }

  inc(name: string, labels: Labels, by = 1): void {
    const family = this.families.get(name);
    if (family?.type !== 'counter') throw new Error(`${name} is not a counter`);
    const key = keyOf(labels);
    const series = family.series.get(key) ?? { labels, value: 0 };
    series.value += by;
    family.series.set(key, series);
  }

  observe(name: string, labels: Labels, value: number): void {
    const family = this.families.get(name);
    if (family?.type !== 'histogram') throw new Error(`${name} is not a histogram`);
    const key = keyOf(labels);
    let series = family.series.get(key);
    if (!series) {
      series = { labels, counts: family.buckets.map(() => 0), sum: 0, count: 0 };
      family.series.set(key, series);
    }
    family.buckets.forEach((bound, i) => {
      if (value <= bound) series.counts[i] += 1;
    });
    series.sum += value;
    series.count += 1;
  }

  /** Removes every series whose labels match all of `match` (a pod that no longer exists). */
  drop(match: Labels): void {
    for (const family of this.families.values()) {
      for (const [key, series] of family.series) {
        if (Object.entries(match).every(([k, v]) => series.labels[k] === v)) family.series.delete(key);
      }
    }
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      if (family.type === 'counter') {
        for (const s of family.series.values()) lines.push(`${name}${render(s.labels)} ${s.value}`);
        continue;
      }
      for (const s of family.series.values()) {
        family.buckets.forEach((bound, i) => lines.push(`${name}_bucket${render({ ...s.labels, le: String(bound) })} ${s.counts[i]}`));
        lines.push(`${name}_bucket${render({ ...s.labels, le: '+Inf' })} ${s.count}`);
        lines.push(`${name}_sum${render(s.labels)} ${s.sum}`, `${name}_count${render(s.labels)} ${s.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
