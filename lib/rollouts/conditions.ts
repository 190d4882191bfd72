/**
 * Reads the thresholds out of an Argo analysis condition so a chart can draw them:
 * `result[0] < 0.05`, `result[0] >= 0.99`, `len(result) == 0 || result[0] < 0.05`, `result < 500`,
 * `isNaN(result[0]) || result[0] < 0.01`. Parts that are not a comparison of the result with a
 * number (guards for empty or NaN results) are ignored; nothing is evaluated.
 */
export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  op: Comparison;
  value: number;
}

const RESULT = String.raw`result(?:\s*\[\s*0\s*\])?`;
const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e-?\d+)?`;
const OP = String.raw`<=|>=|==|!=|<|>`;
const FORWARD = new RegExp(String.raw`(?<![\w.(])${RESULT}\s*(${OP})\s*(${NUMBER})`, 'gi');
const REVERSED = new RegExp(String.raw`(${NUMBER})\s*(${OP})\s*${RESULT}(?![\w\[])`, 'gi');
const FLIP: Record<Comparison, Comparison> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

export function parseThresholds(condition: string | null | undefined): Threshold[] {
  if (!condition) return [];
  const out: Threshold[] = [];
  for (const m of condition.matchAll(FORWARD)) out.push({ op: m[1] as Comparison, value: Number(m[2]) });
  for (const m of condition.matchAll(REVERSED)) out.push({ op: FLIP[m[2] as Comparison], value: Number(m[1]) });
  return out.filter((t) => Number.isFinite(t.value));
}

/** Substitutes `{{args.name}}` (Argo's template syntax, spaces allowed) and reports what is missing. */
export function substituteArgs(template: string, args: { name: string; value?: string }[]): { text: string; missing: string[] } {
  const values = new Map(args.filter((a) => a.value !== undefined).map((a) => [a.name, a.value as string]));
  const missing = new Set<string>();
  const text = template.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => {
    const value = values.get(name);
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text, missing: [...missing] };
}
