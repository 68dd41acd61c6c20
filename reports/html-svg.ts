// Server-side SVG charts for report.html: line charts (time series in stacked panels,
// percentile curves), horizontal bars and a heatmap, returned as strings with every text
// escaped. No script and no fonts: native <title> tooltips, the system's sans-serif. Axes are
// honest (counts and rates start at 0), colours are Okabe-Ito's colour-blind-safe set and a
// viridis ramp, and every chart is an <svg data-chart="id"> with a <title>, its data marks
// carrying class="mark" so that a browser test can find and measure them.

/** Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies. */
export const PALETTE = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#6E6E6E',
} as const;

/** Escapes text for HTML and SVG content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A number for SVG coordinates: short and never NaN. */
const c = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0');

/** A position on an axis and its label. */
export interface Tick {
  readonly at: number;
  readonly label: string;
}

/** 1, 2 or 5 times a power of ten, so that `range` takes about `count` steps. */
export function niceStep(range: number, count: number): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** A tick label with as many decimals as the step needs: 0.05 -> `0.05`, 2500 -> `2,500`. */
export function stepLabel(y: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return y.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Ticks from 0 to the first nice number >= max (1 when there is nothing to show); labels by `format`, or by the step. */
export function zeroBasedTicks(max: number, format?: (y: number) => string, count = 5): { max: number; ticks: Tick[] } {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const step = niceStep(top, count);
  const end = Math.ceil(top / step - 1e-9) * step;
  const ticks: Tick[] = [];
  for (let i = 0; i * step <= end + step * 1e-9; i++) ticks.push({ at: i * step, label: format ? format(i * step) : stepLabel(i * step, step) });
  // The axis covers the data even when the last tick falls a rounding error short of it.
  return { max: Math.max(end, top), ticks };
}

/** Rough width of `text` at `size` px in a sans-serif font (for layout only). */
export function textWidth(text: string, size = 11): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\uFFFF]/.test(ch) ? 1 : /[ il.,:;'|!\[\]()]/.test(ch) ? 0.3 : /[A-Z%mw@]/.test(ch) ? 0.75 : 0.56;
  return w * size;
}

/** Cuts `text` to about `width` px with an ellipsis. */
export function fit(text: string, width: number, size = 11): string {
  if (textWidth(text, size) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

/** The opening of a chart: the svg with its id, its title and its description. */
function open(id: string, title: string, description: string, width: number, height: number): string {
  const t = `${id}-title`;
  const d = `${id}-desc`;
  return (
    `<svg data-chart="${esc(id)}" viewBox="0 0 ${c(width)} ${c(height)}" width="${c(width)}" height="${c(height)}" ` +
    `role="img" aria-labelledby="${esc(t)} ${esc(d)}" class="chart" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${esc(t)}">${esc(title)}</title><desc id="${esc(d)}">${esc(description)}</desc>`
  );
}

/** A legend entry: a line (dashed or not) or a swatch. */
export interface LegendItem {
  readonly name: string;
  readonly color: string;
  readonly dash?: string;
  readonly kind?: 'line' | 'swatch';
}

/** Legend rows across the top of a chart; returns the markup and the height it takes. */
function legend(items: readonly LegendItem[], x0: number, y0: number, width: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  let x = x0;
  let y = y0 + 10;
  const parts: string[] = [];
  for (const item of items) {
    const w = 26 + textWidth(item.name) + 14;
    if (x + w > x0 + width && x > x0) {
      x = x0;
      y += 16;
    }
    const sym =
      item.kind === 'swatch'
        ? `<rect x="${c(x)}" y="${c(y - 8)}" width="16" height="10" fill="${item.color}"/>`
        : `<line x1="${c(x)}" y1="${c(y - 3)}" x2="${c(x + 18)}" y2="${c(y - 3)}" stroke="${item.color}" stroke-width="2.5"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}/>`;
    parts.push(`<g class="legend-item">${sym}<text x="${c(x + 23)}" y="${c(y)}" class="legend">${esc(item.name)}</text></g>`);
    x += w;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: y - y0 + 8 };
}

/** A series of (x, y) points; a NaN y leaves a gap. `tips` (same length) become tooltips of the points. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dash?: string;
  readonly tips?: readonly string[];
  readonly width?: number;
}

/** A horizontal line across a panel: an SLA threshold, a whole-run value. */
export interface RefLine {
  readonly y: number;
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
}

/** One plot area of a line chart, with its own y axis (starting at 0). */
export interface Panel {
  readonly height: number;
  readonly series: readonly LineSeries[];
  readonly yLabel: string;
  /** Tick labels; default: numbers with the decimals the step needs. */
  readonly yFormat?: (y: number) => string;
  /** A fixed top of the y axis (1 for rates); otherwise a nice number above the data. */
  readonly yMax?: number;
  readonly refLines?: readonly RefLine[];
}

/** A shaded stretch of the x axis (the warm-up). */
export interface Band {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface LineChartSpec {
  readonly id: string;
  readonly title: string;
  /** Printed at the top left (small multiples name their panel). */
  readonly heading?: string;
  readonly description: string;
  readonly width: number;
  readonly xDomain: readonly [number, number];
  readonly xTicks: readonly Tick[];
  readonly xLabel: string;
  readonly panels: readonly Panel[];
  readonly bands?: readonly Band[];
  /** Draw a dot (with its tooltip) at every point; default when a series has at most 100 points. */
  readonly markers?: boolean;
}

const MARGIN = { left: 58, right: 16, bottom: 38, top: 6 };
const PANEL_GAP = 16;

/** The polyline(s) of a series, broken at NaN. */
function pathOf(points: readonly (readonly [number, number])[], sx: (x: number) => number, sy: (y: number) => number): string[] {
  const runs: string[] = [];
  let cur: string[] = [];
  for (const [x, y] of points) {
    if (Number.isFinite(y) && Number.isFinite(x)) cur.push(`${c(sx(x))},${c(sy(y))}`);
    else if (cur.length) {
      runs.push(cur.join(' '));
      cur = [];
    }
  }
  if (cur.length) runs.push(cur.join(' '));
  return runs;
}

/** A line chart of one or more stacked panels sharing the x axis. */
export function lineChart(spec: LineChartSpec): string {
  const plotW = spec.width - MARGIN.left - MARGIN.right;
  const items: LegendItem[] = [];
  for (const p of spec.panels) {
    for (const s of p.series) if (!items.some((i) => i.name === s.name)) items.push({ name: s.name, color: s.color, ...(s.dash && { dash: s.dash }) });
    for (const r of p.refLines ?? []) if (!items.some((i) => i.name === r.label)) items.push({ name: r.label, color: r.color, dash: r.dash ?? '6 4' });
  }
  const headingH = spec.heading ? 18 : 0;
  const leg = legend(items, MARGIN.left, MARGIN.top + headingH, plotW);
  const top0 = MARGIN.top + headingH + leg.height + 8;
  const height = top0 + spec.panels.reduce((a, p) => a + p.height, 0) + PANEL_GAP * (spec.panels.length - 1) + MARGIN.bottom;
  const [x0, x1] = spec.xDomain;
  const sx = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const out: string[] = [open(spec.id, spec.title, spec.description, spec.width, height)];
  if (spec.heading) out.push(`<text x="${c(MARGIN.left)}" y="${c(MARGIN.top + 12)}" class="heading">${esc(spec.heading)}</text>`);
  out.push(leg.svg);
  let top = top0;
  spec.panels.forEach((panel, pi) => {
    const dataMax = Math.max(0, ...panel.series.flatMap((s) => s.points.map(([, y]) => (Number.isFinite(y) ? y : 0))), ...(panel.refLines ?? []).map((r) => r.y));
    const count = Math.max(2, Math.min(5, Math.round(panel.height / 40)));
    const axis = zeroBasedTicks(panel.yMax ?? dataMax, panel.yFormat, count);
    const bottom = top + panel.height;
    const sy = (y: number): number => bottom - (Math.min(Math.max(y, 0), axis.max) / axis.max) * panel.height;
    const g: string[] = [`<g class="panel">`];
    for (const b of spec.bands ?? []) {
      const a = sx(Math.max(b.from, x0));
      const z = sx(Math.min(b.to, x1));
      if (z > a) {
        g.push(`<rect x="${c(a)}" y="${c(top)}" width="${c(z - a)}" height="${c(panel.height)}" class="band"><title>${esc(b.label)}</title></rect>`);
        if (pi === 0 && z - a > textWidth(b.label, 10) + 6) g.push(`<text x="${c(a + 3)}" y="${c(top + 11)}" class="band-label">${esc(b.label)}</text>`);
      }
    }
    for (const t of axis.ticks) {
      const y = sy(t.at);
      g.push(`<line x1="${c(MARGIN.left)}" x2="${c(MARGIN.left + plotW)}" y1="${c(y)}" y2="${c(y)}" class="grid"/>`);
      g.push(`<text x="${c(MARGIN.left - 5)}" y="${c(y + 3.5)}" class="tick" text-anchor="end">${esc(t.label)}</text>`);
    }
    for (const t of spec.xTicks) {
      const x = sx(t.at);
      g.push(`<line x1="${c(x)}" x2="${c(x)}" y1="${c(top)}" y2="${c(bottom)}" class="grid"/>`);
      if (pi === spec.panels.length - 1) g.push(`<text x="${c(x)}" y="${c(bottom + 14)}" class="tick" text-anchor="middle">${esc(t.label)}</text>`);
    }
    g.push(`<line x1="${c(MARGIN.left)}" x2="${c(MARGIN.left + plotW)}" y1="${c(bottom)}" y2="${c(bottom)}" class="axis"/>`);
    g.push(`<line x1="${c(MARGIN.left)}" x2="${c(MARGIN.left)}" y1="${c(top)}" y2="${c(bottom)}" class="axis"/>`);
    const mid = (top + bottom) / 2;
    g.push(`<text transform="translate(${c(14)} ${c(mid)}) rotate(-90)" class="axis-label" text-anchor="middle">${esc(panel.yLabel)}</text>`);
    for (const r of panel.refLines ?? []) {
      const y = sy(r.y);
      g.push(
        `<line x1="${c(MARGIN.left)}" x2="${c(MARGIN.left + plotW)}" y1="${c(y)}" y2="${c(y)}" stroke="${r.color}" stroke-width="1.5" stroke-dasharray="${r.dash ?? '6 4'}" class="ref"><title>${esc(r.label)}</title></line>`,
      );
    }
    for (const s of panel.series) {
      const runs = pathOf(s.points, sx, sy);
      const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
      const name = esc(s.name);
      for (const run of runs) {
        const single = !run.includes(' ');
        if (single) {
          const [px, py] = run.split(',');
          g.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${s.color}" class="mark" data-series="${name}"/>`);
        } else {
          g.push(`<polyline points="${run}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${dash} stroke-linejoin="round" class="mark" data-series="${name}"><title>${name}</title></polyline>`);
        }
      }
      const markers = spec.markers ?? s.points.length <= 100;
      if (markers) {
        s.points.forEach(([x, y], i) => {
          if (!Number.isFinite(y)) return;
          const tip = s.tips?.[i];
          g.push(
            `<circle cx="${c(sx(x))}" cy="${c(sy(y))}" r="2.2" fill="${s.color}" class="dot">${tip !== undefined ? `<title>${esc(tip)}</title>` : ''}</circle>`,
          );
        });
      }
    }
    g.push('</g>');
    out.push(g.join(''));
    top = bottom + PANEL_GAP;
  });
  out.push(`<text x="${c(MARGIN.left + plotW / 2)}" y="${c(height - 6)}" class="axis-label" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push('</svg>');
  return out.join('');
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Printed at the end of the bar. */
  readonly valueLabel: string;
  readonly tip: string;
}

export interface BarChartSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly width: number;
  readonly labelWidth: number;
  readonly bars: readonly Bar[];
  readonly xLabel: string;
  readonly xFormat: (x: number) => string;
  readonly color: string;
  /** A fixed end of the x axis; otherwise a nice number above the longest bar. */
  readonly xMax?: number;
}

/** Horizontal bars from 0, one per row, labels on the left. */
export function barChart(spec: BarChartSpec): string {
  const row = 20;
  const top = 8;
  const left = spec.labelWidth + 8;
  const right = 70;
  const plotW = spec.width - left - right;
  const height = top + row * spec.bars.length + 40;
  const dataMax = Math.max(0, ...spec.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const axis = spec.xMax !== undefined ? { max: spec.xMax, ticks: zeroBasedTicks(spec.xMax, spec.xFormat).ticks } : zeroBasedTicks(dataMax, spec.xFormat);
  const sx = (x: number): number => left + (Math.min(Math.max(x, 0), axis.max) / axis.max) * plotW;
  const bottom = top + row * spec.bars.length;
  const out: string[] = [open(spec.id, spec.title, spec.description, spec.width, height)];
  for (const t of axis.ticks) {
    const x = sx(t.at);
    out.push(`<line x1="${c(x)}" x2="${c(x)}" y1="${c(top)}" y2="${c(bottom)}" class="grid"/>`);
    out.push(`<text x="${c(x)}" y="${c(bottom + 14)}" class="tick" text-anchor="middle">${esc(t.label)}</text>`);
  }
  spec.bars.forEach((b, i) => {
    const y = top + i * row;
    const w = Math.max(Number.isFinite(b.value) && b.value > 0 ? 1 : 0, sx(b.value) - left);
    out.push(
      `<text x="${c(left - 6)}" y="${c(y + row / 2 + 4)}" class="bar-label" text-anchor="end">${esc(fit(b.label, spec.labelWidth))}<title>${esc(b.label)}</title></text>`,
      `<rect x="${c(left)}" y="${c(y + 3)}" width="${c(w)}" height="${c(row - 6)}" fill="${spec.color}" class="mark"><title>${esc(b.tip)}</title></rect>`,
      `<text x="${c(left + w + 4)}" y="${c(y + row / 2 + 4)}" class="tick">${esc(b.valueLabel)}</text>`,
    );
  });
  out.push(`<line x1="${c(left)}" x2="${c(left)}" y1="${c(top)}" y2="${c(bottom)}" class="axis"/>`);
  out.push(`<line x1="${c(left)}" x2="${c(left + plotW)}" y1="${c(bottom)}" y2="${c(bottom)}" class="axis"/>`);
  out.push(`<text x="${c(left + plotW / 2)}" y="${c(height - 6)}" class="axis-label" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push('</svg>');
  return out.join('');
}

/** Viridis at t in [0, 1]: perceptually even, readable in grey and by colour-blind readers. */
export function viridis(t: number): string {
  const stops = [
    [0x44, 0x01, 0x54],
    [0x3b, 0x52, 0x8b],
    [0x21, 0x91, 0x8c],
    [0x5e, 0xc9, 0x62],
    [0xfd, 0xe7, 0x25],
  ] as const;
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  const hex = (k: 0 | 1 | 2): string => Math.round(a[k] + (b[k] - a[k]) * f).toString(16).padStart(2, '0');
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

export interface HeatmapSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly width: number;
  readonly labelWidth: number;
  readonly rows: readonly string[];
  /** Columns, left to right (their labels are for reference; the axis prints `ticks`). */
  readonly columns: readonly string[];
  /** Axis labels at column positions: `at` = 2 is the left edge of the third column. */
  readonly ticks: readonly Tick[];
  /** cells[row][column] in [0, 1] for the colour; NaN = no data (drawn blank). */
  readonly cells: readonly (readonly number[])[];
  readonly tips: readonly (readonly string[])[];
  /** Printed inside a cell when it is wide enough. */
  readonly cellLabel: (v: number) => string;
  readonly xLabel: string;
  readonly legendLabel: string;
  readonly emptyLabel: string;
}

/** A grid of coloured cells (viridis, 0..1) with a colour bar. */
export function heatmap(spec: HeatmapSpec): string {
  const rowH = 20;
  const top = 46;
  const left = spec.labelWidth + 8;
  const right = 26;
  const plotW = spec.width - left - right;
  const n = Math.max(1, spec.columns.length);
  const cellW = plotW / n;
  const bottom = top + rowH * spec.rows.length;
  const height = bottom + 40;
  const gradId = `${spec.id}-ramp`;
  const out: string[] = [open(spec.id, spec.title, spec.description, spec.width, height)];
  // Colour bar: 0 .. 100 %, and the "no data" swatch.
  const barW = Math.min(220, plotW * 0.5);
  const stops = [0, 0.25, 0.5, 0.75, 1].map((s) => `<stop offset="${s * 100}%" stop-color="${viridis(s)}"/>`).join('');
  out.push(
    `<defs><linearGradient id="${esc(gradId)}" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
    `<text x="${c(left)}" y="12" class="legend">${esc(spec.legendLabel)}</text>`,
    `<rect x="${c(left)}" y="17" width="${c(barW)}" height="9" fill="url(#${esc(gradId)})"/>`,
    `<text x="${c(left)}" y="37" class="tick" text-anchor="start">0%</text>`,
    `<text x="${c(left + barW / 2)}" y="37" class="tick" text-anchor="middle">50%</text>`,
    `<text x="${c(left + barW)}" y="37" class="tick" text-anchor="end">100%</text>`,
    `<rect x="${c(left + barW + 16)}" y="17" width="14" height="9" class="empty-cell"/>`,
    `<text x="${c(left + barW + 34)}" y="25" class="legend">${esc(spec.emptyLabel)}</text>`,
  );
  spec.rows.forEach((label, r) => {
    const y = top + r * rowH;
    out.push(`<text x="${c(left - 6)}" y="${c(y + rowH / 2 + 4)}" class="bar-label" text-anchor="end">${esc(fit(label, spec.labelWidth))}<title>${esc(label)}</title></text>`);
    const cells = spec.cells[r] ?? [];
    for (let k = 0; k < n; k++) {
      const v = cells[k] ?? NaN;
      const x = left + k * cellW;
      const tip = spec.tips[r]?.[k] ?? '';
      if (!Number.isFinite(v)) {
        out.push(`<rect x="${c(x)}" y="${c(y)}" width="${c(cellW)}" height="${rowH - 1}" class="empty-cell"><title>${esc(tip)}</title></rect>`);
        continue;
      }
      out.push(`<rect x="${c(x)}" y="${c(y)}" width="${c(cellW + 0.4)}" height="${rowH - 1}" fill="${viridis(v)}" class="mark"><title>${esc(tip)}</title></rect>`);
      const text = spec.cellLabel(v);
      if (cellW >= textWidth(text, 9) + 4) {
        out.push(`<text x="${c(x + cellW / 2)}" y="${c(y + rowH / 2 + 3)}" class="cell-label" text-anchor="middle" fill="${v > 0.62 ? '#000' : '#fff'}">${esc(text)}</text>`);
      }
    }
  });
  for (const t of spec.ticks) {
    const x = left + t.at * cellW;
    out.push(`<line x1="${c(x)}" x2="${c(x)}" y1="${c(bottom)}" y2="${c(bottom + 3)}" class="axis"/>`);
    out.push(`<text x="${c(x)}" y="${c(bottom + 14)}" class="tick" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<text x="${c(left + plotW / 2)}" y="${c(height - 6)}" class="axis-label" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push('</svg>');
  return out.join('');
}
