// The manager's charts, drawn from /api/tab/summary (the same computation as the summary
// command): CSS bars in the theme's colours, every figure also written out as text.
import { h } from './dom.js';
import { duration, STOREFRONTS, shortDate, statusText, storefrontText } from './labels.js';
import type { Strings } from './strings.js';

type Json = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

export function renderCharts(s: Strings, body: Json): HTMLElement {
  const summary = obj(body.summary ?? body);
  const series = obj(body.series ?? body.charts);
  const period = obj(summary.period);
  const from = typeof period.from === 'string' ? period.from : '';
  const to = typeof period.to === 'string' ? new Date(Date.parse(period.to) - 1).toISOString() : '';
  const caption =
    period.label === 'all'
      ? s('periodAllTime')
      : from && to
        ? `${s('period')}: ${shortDate(s, from)} – ${shortDate(s, to)}`
        : '';
  return h(
    'div',
    {},
    caption && h('p', { class: 'muted charts-period' }, caption),
    h(
      'div',
      { class: 'charts' },
      card(s('funnel'), funnel(s, summary, series), apart(s, summary)),
      card(s('perWeek'), perWeek(s, series, body)),
      card(s('firstTouch'), firstTouch(s, summary, series)),
    ),
  );
}

function card(title: string, content: HTMLElement, note?: HTMLElement): HTMLElement {
  return h('section', { class: 'chart' }, h('h2', {}, title), content, note);
}

/**
 * The leads the totals count and the funnel does not (test and do-not-contact leads), said under
 * the funnel as the summary card says them: otherwise 6 leads on top and 5 received read as a bug.
 */
function apart(s: Strings, summary: Json): HTMLElement | undefined {
  const t = s.card;
  const items = [
    ...(num(summary.testLeads) > 0 ? [t.plural('summary.testLeads', num(summary.testLeads))] : []),
    ...(num(summary.doNotContact) > 0 ? [t.plural('summary.dncLeads', num(summary.doNotContact))] : []),
  ];
  if (items.length === 0) return undefined;
  return h('p', { class: 'muted apart' }, t('summary.apart', { items: t.formatList(items) }));
}

/** One labelled bar: the width is set through the CSSOM (the CSP allows no style attribute). */
function bar(label: string, value: number, max: number, text: string, colour = 'brand'): HTMLElement {
  const fill = h('span', { class: `fill ${colour}` });
  fill.style.width = `${max > 0 && value > 0 ? Math.max(1, (value / max) * 100) : 0}%`;
  return h(
    'div',
    { class: 'hbar' },
    h('span', { class: 'label' }, label),
    h('span', { class: 'track' }, fill),
    h('span', { class: 'value' }, text),
  );
}

function funnel(s: Strings, summary: Json, series: Json): HTMLElement {
  let stages: Array<[string, number]>;
  if (Array.isArray(series.funnel)) {
    stages = (series.funnel as Json[]).map((st) => {
      const key = String(st.stage ?? st.key ?? st.name ?? '');
      return [
        key === 'received' ? s.card('summary.received') : statusText(s, key),
        num(st.count ?? st.value),
      ];
    });
  } else {
    const f = obj(summary.funnel);
    stages = [
      [s.card('summary.received'), num(summary.received)],
      ...(['assigned', 'qualified', 'opportunity', 'won'] as const).map((k): [string, number] => [
        statusText(s, k),
        num(f[k]),
      ]),
    ];
  }
  const top = Math.max(0, ...stages.map(([, n]) => n));
  if (top === 0) return h('p', { class: 'muted' }, s('noData'));
  const percent = new Intl.NumberFormat(s.intl, { style: 'percent', maximumFractionDigits: 0 });
  return h(
    'div',
    { class: 'bars' },
    ...stages.map(([label, n]) => bar(label, n, top, `${n} (${percent.format(n / top)})`)),
  );
}

function perWeek(s: Strings, series: Json, body: Json): HTMLElement {
  const weeks = (series.perWeek ?? series.leadsPerWeek ?? series.weeks ?? body.perWeek ?? []) as Json[];
  if (!Array.isArray(weeks) || weeks.length === 0) return h('p', { class: 'muted' }, s('noData'));
  const rows = weeks.map((w) => {
    const counts = obj(w.byStorefront ?? w.counts ?? w.storefronts);
    const total = Object.values(counts).reduce<number>((a, b) => a + num(b), 0);
    return { week: String(w.weekStart ?? w.week ?? w.from ?? ''), counts, total: num(w.total) || total };
  });
  const top = Math.max(1, ...rows.map((r) => r.total));
  const fronts = STOREFRONTS.filter((f) => rows.some((r) => num(r.counts[f]) > 0));
  const others = [...new Set(rows.flatMap((r) => Object.keys(r.counts)))].filter(
    (k) => !fronts.includes(k as never),
  );
  const all = [...fronts, ...others];
  const colour = (f: string) => `c${Math.max(0, all.indexOf(f)) % 5}`;
  const columns = rows.map((r) => {
    const label = s('week', { date: shortDate(s, r.week) });
    const parts = all.filter((f) => num(r.counts[f]) > 0);
    const description = `${label}: ${parts.map((f) => `${storefrontText(s, f)} ${num(r.counts[f])}`).join(', ') || 0}`;
    const stack = h('span', { class: 'stack', role: 'img', 'aria-label': description, title: description });
    stack.style.height = `${(r.total / top) * 100}%`;
    for (const f of parts) {
      const piece = h('span', { class: `piece ${colour(f)}` });
      piece.style.flexGrow = String(num(r.counts[f]));
      stack.append(piece);
    }
    return h(
      'div',
      { class: 'vcol' },
      h('span', { class: 'vtotal' }, String(r.total)),
      h('span', { class: 'vtrack' }, stack),
      h('span', { class: 'vlabel' }, shortDate(s, r.week)),
    );
  });
  const legend = h(
    'ul',
    { class: 'legend' },
    ...all.map((f) => h('li', {}, h('span', { class: `swatch ${colour(f)}` }), storefrontText(s, f))),
  );
  return h('div', {}, h('div', { class: 'vbars' }, ...columns), legend);
}

function firstTouch(s: Strings, summary: Json, series: Json): HTMLElement {
  const ft = obj(summary.firstTouch);
  const median = ft.median;
  const p90 = ft.p90;
  if (typeof median !== 'number') return h('p', { class: 'muted' }, s.card('summary.noTouch'));
  const figure = (label: string, value: string) =>
    h('div', { class: 'figure' }, h('span', { class: 'big' }, value), h('span', { class: 'muted' }, label));
  const raw = Array.isArray(series.firstTouch) ? series.firstTouch : obj(series.firstTouch).buckets;
  const buckets = Array.isArray(raw) ? (raw as Json[]) : [];
  const top = Math.max(1, ...buckets.map((b) => num(b.count)));
  const limits = buckets.map((b) => b.upToMinutes).filter((m): m is number => typeof m === 'number');
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'figures' },
      figure(s('median'), duration(s, median)),
      figure(s('p90'), typeof p90 === 'number' ? duration(s, p90) : '—'),
      figure(s('touched'), String(num(ft.touched))),
    ),
    buckets.length > 0 &&
      h(
        'div',
        { class: 'bars' },
        ...buckets.map((b) => bar(bucketLabel(s, b, limits), num(b.count), top, String(num(b.count)), 'c1')),
      ),
  );
}

/** "≤ 15 min" … and "> 3 d" for the open-ended last bucket. */
function bucketLabel(s: Strings, b: Json, limits: number[]): string {
  if (typeof b.label === 'string') return b.label;
  if (typeof b.upToMinutes === 'number') return `≤ ${duration(s, b.upToMinutes)}`;
  return `> ${duration(s, Math.max(0, ...limits))}`;
}
