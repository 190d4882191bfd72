import { thresholdLabelBox } from '@/components/charts/chart-geometry';

/** recharts hands a reference line's label the line's box; only the cartesian fields matter here. */
interface LabelProps {
  viewBox?: unknown;
}

function cartesian(viewBox: unknown): { x: number; y: number; width: number; height: number } | null {
  const v = viewBox as { x?: unknown; y?: unknown; width?: unknown; height?: unknown } | undefined;
  if (typeof v?.x !== 'number' || typeof v.y !== 'number') return null;
  return { x: v.x, y: v.y, width: typeof v.width === 'number' ? v.width : 0, height: typeof v.height === 'number' ? v.height : 0 };
}

const FONT = 10;
const CHAR_PX = 5.6;

/** Threshold text inside the plot, right-aligned, on the card's background colour. */
export function ThresholdLabel({ viewBox, text, plotTop }: LabelProps & { text: string; plotTop: number }) {
  const line = cartesian(viewBox);
  if (!line || line.width < 40) return null;
  const { text: at, background } = thresholdLabelBox(line, plotTop, text.length * CHAR_PX);
  return (
    <g data-testid="threshold-label">
      <title>{text}</title>
      <rect {...background} rx={2} className="fill-white/90 dark:fill-slate-900/90" />
      <text x={at.x} y={at.y} textAnchor="end" fontSize={FONT} className="fill-rose-600 dark:fill-rose-400">
        {text.length * CHAR_PX > background.width ? `${text.slice(0, Math.max(1, Math.floor(background.width / CHAR_PX) - 2))}…` : text}
      </text>
    </g>
  );
}

/**
 * A step/weight marker's label at the top of its line, or nothing when there is no room; the
 * full text of every event it stands for is the hover title of a strip along the whole line.
 */
export function MarkerLabel({ viewBox, text, detail, show }: LabelProps & { text: string; detail: string; show: boolean }) {
  const line = cartesian(viewBox);
  if (!line) return null;
  return (
    <g data-testid="marker-label" data-shown={show}>
      <title>{detail}</title>
      <rect x={line.x - 4} y={line.y} width={8} height={line.height} fill="transparent" />
      {show && (
        <text x={line.x + 3} y={line.y + 9} fontSize={9} className="fill-slate-500 dark:fill-slate-400">
          {text}
        </text>
      )}
    </g>
  );
}
