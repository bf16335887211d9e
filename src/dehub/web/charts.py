"""Charts as inline SVG, drawn on the server: horizontal bars, lines over time, and the
concentration (Lorenz) curve.

No chart library and no JavaScript, so pages work offline and print, and the PDF report uses
the same drawings. Every chart has a ``<title>`` and ``<desc>``; pages put the numbers behind
each chart in a table next to it (the accessible, downloadable form).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BAR = "#2c7fb8"
BAR_ALT = "#a1dab4"
LINE_COLOURS = ("#2c7fb8", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
NARROW = frozenset(" .,:;'!|()[]ijlrtf-")
WIDE = frozenset("MWmw%@…")


def text_width(text: str) -> float:
    """A generous estimate of ``text``'s width in px at the charts' 12 px sans-serif font.

    The server has no font metrics, so each character counts at least its advance in DejaVu
    Sans (the widest common fallback for ``system-ui``: digits 0.636 em, capitals up to
    0.77 em, ``m``/``W``/``%`` about 1 em); other sans-serif fonts are narrower. Used to leave
    room for axis and value labels so that none is clipped."""
    width = 0.0
    for ch in text:
        if ch in NARROW:
            width += 4.9
        elif ch in WIDE:
            width += 12.0
        elif ch.isupper():
            width += 9.3
        else:
            width += 7.7
    return width


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value (drawn) and optional link and highlight."""

    label: str
    value: float
    href: str | None = None
    highlight: bool = False


def fit(text: str, room: float) -> str:
    """``text``, cut with an ellipsis to fit ``room`` px (by :func:`text_width`)."""
    if text_width(text) <= room:
        return text
    while text and text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _open(width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    label: Callable[[float], str],
    width: float = 640.0,
    label_width: float = 220.0,
) -> Markup:
    """Horizontal bars, longest first as given; ``label(value)`` formats the value text."""
    row = 22.0
    height = row * len(bars) + 10
    top = max((b.value for b in bars), default=0.0) or 1.0
    value_room = max((text_width(label(b.value)) for b in bars), default=0.0) + 10
    span = max(width - label_width - value_room, 40.0)
    out = _open(width, height, title, f"{len(bars)} bars; the table below has the values")
    for i, b in enumerate(bars):
        y = 5 + i * row
        w = max(span * b.value / top, 0.0)
        name = fit(b.label, label_width - 10)
        text = f'<text x="{label_width - 6:.0f}" y="{y + 14:.0f}" text-anchor="end">'
        text += f"{escape(name)}</text>"
        if b.href:
            text = f'<a href="{escape(b.href)}">{text}</a>'
        fill = BAR_ALT if b.highlight else BAR
        out.append(
            f'{text}<rect x="{label_width:.0f}" y="{y + 3:.0f}" width="{w:.1f}" height="15" '
            f'fill="{fill}"><title>{escape(b.label)}: {escape(label(b.value))}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 14:.0f}">{escape(label(b.value))}'
            "</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def line_chart(
    series: dict[str, Sequence[tuple[str, float | None]]],
    *,
    title: str,
    label: Callable[[float], str],
    width: float = 640.0,
    height: float = 260.0,
) -> Markup:
    """Lines over the same ordered x labels (periods); ``None`` values break a line."""
    xs: list[str] = []
    for points in series.values():
        for x, _ in points:
            if x not in xs:
                xs.append(x)
    xs.sort()
    values = [v for pts in series.values() for _, v in pts if v is not None]
    top = max(values, default=0.0) or 1.0
    ticks = [(frac, label(top * frac)) for frac in (0.0, 0.5, 1.0)]
    # room on the left for the longest y-axis label, on the right for half the last x label
    left = max(40.0, max(text_width(t) for _, t in ticks) + 12)
    right = max(20.0, text_width(xs[-1]) / 2 + 6 if xs else 0.0)
    bottom, head = 40.0, 20.0 + 16 * len(series)
    plot_w, plot_h = width - left - right, height - bottom - head
    step = plot_w / max(len(xs) - 1, 1)

    def pos(x: str, v: float) -> tuple[float, float]:
        return left + xs.index(x) * step, head + plot_h * (1 - v / top)

    out = _open(width, height, title, f"{len(series)} series over {len(xs)} periods")
    for frac, tick in ticks:
        y = head + plot_h * (1 - frac)
        out.append(
            f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd"/><text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(tick)}</text>"
        )
    every = max(1, len(xs) // 8)
    for i, x in enumerate(xs):
        if i % every == 0 or i == len(xs) - 1:
            out.append(
                f'<text x="{left + i * step:.1f}" y="{height - bottom + 18:.0f}" '
                f'text-anchor="middle">{escape(x)}</text>'
            )
    for n, (name, points) in enumerate(series.items()):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        segments: list[list[tuple[float, float]]] = [[]]
        for x, v in sorted(points):
            if v is None:
                segments.append([])
            else:
                segments[-1].append(pos(x, v))
        for seg in segments:
            if seg:
                pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in seg)
                out.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
                out.extend(
                    f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in seg
                )
        out.append(
            f'<rect x="{left:.1f}" y="{6 + 16 * n}" width="12" height="10" fill="{colour}"/>'
            f'<text x="{left + 16:.1f}" y="{15 + 16 * n}">{escape(name)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def lorenz_chart(
    cumulative_shares: Sequence[float],
    *,
    title: str,
    marks: Sequence[int] = (10, 50, 100),
    unit: str = "districts",
    width: float = 640.0,
    height: float = 300.0,
) -> Markup:
    """The concentration curve: cumulative share of the total (y) shipped by the top k units
    (x), with "top N ship X%" marks. ``cumulative_shares[k-1]`` is the share of the top k."""
    n = len(cumulative_shares)
    left, bottom, top_pad, right = 60.0, 40.0, 15.0, 20.0
    plot_w, plot_h = width - left - right, height - bottom - top_pad

    def pos(k: int, share: float) -> tuple[float, float]:
        return left + plot_w * k / max(n, 1), top_pad + plot_h * (1 - share)

    desc = ", ".join(f"top {k} {unit}: {cumulative_shares[k - 1]:.1%}" for k in marks if 0 < k <= n)
    out = _open(width, height, title, desc)
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top_pad + plot_h * (1 - frac)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{frac:.0%}</text>'
        )
    pts = " ".join(
        f"{a:.1f},{b:.1f}" for a, b in (pos(k, s) for k, s in enumerate([0.0, *cumulative_shares]))
    )
    out.append(f'<polyline points="{pts}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    x0, y0 = pos(0, 0)
    x1, y1 = pos(n, 1)
    out.append(
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#999" '
        'stroke-dasharray="4 4"><title>equal shares</title></line>'
    )
    for k in marks:
        if 0 < k <= n:
            a, b = pos(k, cumulative_shares[k - 1])
            text = f"top {k}: {cumulative_shares[k - 1]:.0%}"
            # a mark near the right edge writes its label leftwards, so it stays inside
            anchor = (
                f'x="{a + 6:.1f}"'
                if a + 6 + text_width(text) <= width
                else f'x="{a - 6:.1f}" text-anchor="end"'
            )
            out.append(
                f'<circle cx="{a:.1f}" cy="{b:.1f}" r="4" fill="#d95f02"/>'
                f'<text {anchor} y="{b + 14:.1f}">{text}</text>'
            )
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 8:.0f}" text-anchor="middle">'
        f"{escape(unit)} ranked by exports, largest first ({n})</text>"
    )
    out.append("</svg>")
    return Markup("".join(out))
