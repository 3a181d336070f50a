// charts: small accessible SVG bar charts drawn with DOM calls (no library: two bar charts do
// not justify a dependency). Each chart has a title, a text description and a table fallback
// for screen readers.
import { h, svg } from "./dom.js";

// A vertical grouped bar chart. groups: [{label, values: [n, ...]}]; series: [{name, cls}].
export function groupedBars(title, groups, series) {
  const width = 640, height = 220, left = 32, bottom = 40, top = 10;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const slot = (width - left) / Math.max(1, groups.length);
  const bar = Math.max(4, (slot - 8) / series.length);
  const scale = (v) => ((height - bottom - top) * v) / max;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "chart" });
  // The second series is hatched as well as coloured, so the two differ without colour.
  root.append(svg("defs", {}, svg("pattern", { id: "hatch", patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(45)" },
    svg("rect", { width: 3, height: 6, class: "hatch-line" }))));
  for (const value of [...new Set([0, 1, 2, 3, 4].map((t) => Math.round((max * t) / 4)))]) {
    const y = height - bottom - scale(value);
    root.append(svg("line", { x1: left, x2: width, y1: y, y2: y, class: "grid" }), svg("text", { x: left - 4, y: y + 4, class: "axis", "text-anchor": "end", text: value }));
  }
  groups.forEach((g, i) => {
    const x0 = left + i * slot + 4;
    g.values.forEach((v, s) => {
      const hgt = scale(v);
      const rect = svg("rect", { x: x0 + s * bar, y: height - bottom - hgt, width: bar - 1, height: hgt, class: `bar ${series[s].cls}` });
      rect.append(svg("title", { text: `${g.label}: ${v} ${series[s].name}` }));
      root.append(rect);
      if (s === 1 && hgt > 0) root.append(svg("rect", { x: x0 + s * bar, y: height - bottom - hgt, width: bar - 1, height: hgt, fill: "url(#hatch)", "pointer-events": "none" }));
    });
    root.append(svg("text", { x: x0 + (slot - 8) / 2, y: height - bottom + 16, class: "axis", "text-anchor": "middle", text: g.label }));
  });
  const legend = h("p", { class: "legend" }, series.map((s) => h("span", { class: `key ${s.cls}`, text: s.name })));
  const fallback = h("table", { class: "visually-hidden" }, h("caption", { text: title }),
    h("tr", {}, h("th", { text: "" }), series.map((s) => h("th", { scope: "col", text: s.name }))),
    groups.map((g) => h("tr", {}, h("th", { scope: "row", text: g.label }), g.values.map((v) => h("td", { text: v })))));
  return h("figure", { class: "chart-figure" }, h("figcaption", { class: "visually-hidden", text: title }), root, legend, fallback);
}

// A horizontal bar chart: rows [{label, value, href}].
export function horizontalBars(title, rows) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const list = h("ul", { class: "hbars", "aria-label": title });
  for (const r of rows) {
    const fill = h("span", { class: "hbar-fill" });
    fill.style.width = `${(100 * r.value) / max}%`;
    const label = r.href ? h("a", { href: r.href, text: r.label }) : h("span", { text: r.label });
    list.append(h("li", {}, h("span", { class: "hbar-label" }, label), h("span", { class: "hbar-track" }, fill), h("span", { class: "hbar-value", text: r.value })));
  }
  return h("figure", { class: "chart-figure" }, h("figcaption", { class: "visually-hidden", text: title }), list);
}
