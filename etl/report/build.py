"""One self-contained HTML report of the database: plotly charts with plotly.js inlined (no network).

Sections: what the corpus holds; aid by donor, recipient and fiscal year (analytics.aid_totals, the
figures safe to sum); deals on a timeline by status; who supplies whom (a network of suppliers and
buyers' countries); the latest discrepancies between sources. Every figure lists its articles and
evidence sentences, linked to the article list at the end of the page.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import defaultdict
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.io import to_html
from plotly.offline import get_plotlyjs
from sqlalchemy import Engine

from etl.export.tables import read_view

STYLE = """body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{margin-bottom:0}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
.stats{display:flex;gap:1rem;flex-wrap:wrap}.stat{background:#f3f5f8;padding:.6rem 1rem;border-radius:6px}
.stat b{display:block;font-size:1.4rem}blockquote{margin:.2rem 0;color:#555;font-size:.85rem}"""


def esc(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else html.escape(str(value))


def _links(article_ids: list[int], files: dict[int, str]) -> str:
    return ", ".join(f'<a href="#article-{a}">{esc(files[a])}</a>' for a in sorted(set(article_ids)))


class Report:
    """The views the report reads, keyed for evidence lookups."""

    def __init__(self, engine: Engine) -> None:
        with engine.connect() as conn:
            self.v = {name: read_view(conn, name) for name in (
                "articles", "entities", "aid_totals", "deals", "deal_suppliers", "discrepancies", "evidence",
                "money_figures")}
        self.files = dict(zip(self.v["articles"]["article_id"], self.v["articles"]["source_file"], strict=True))
        self.evidence: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
        for e in self.v["evidence"].to_dict("records"):
            self.evidence[(e["fact_type"], e["fact_id"])].append((e["article_id"], e["excerpt"]))

    def cite(self, fact_type: str, ids: list[int]) -> str:
        """Links to the articles stating the facts, and their evidence sentences."""
        rows = [r for i in ids for r in self.evidence[(fact_type, int(i))]]
        quotes = "".join(f"<blockquote>{esc(x)}</blockquote>" for x in dict.fromkeys(x for _, x in rows))
        return _links([a for a, _ in rows], self.files) + quotes


def _figure(fig: go.Figure, div_id: str) -> str:
    fig.update_layout(height=420, margin={"l": 40, "r": 20, "t": 40, "b": 40}, template="plotly_white")
    return to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def overview(r: Report) -> str:
    a, ent = r.v["articles"], r.v["entities"]
    stats = {"articles": len(a), "publishers": a["publisher"].nunique(), "entities mentioned":
             int((ent["mentions"] > 0).sum()), "deals": len(r.v["deals"]), "aid figures": len(r.v["aid_totals"]),
             "money figures": len(r.v["money_figures"]), "discrepancies": len(r.v["discrepancies"])}
    dates = pd.to_datetime(a["published_on"]).dropna()
    span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    cells = "".join(f'<div class="stat"><b>{v}</b>{esc(k)}</div>' for k, v in stats.items())
    return f'<h2>What the corpus holds</h2><p>Articles published {span}.</p><div class="stats">{cells}</div>'


def aid(r: Report) -> str:
    t = r.v["aid_totals"].dropna(subset=["amount_usd"])
    fig = go.Figure()
    for (donor, recipient, stage), g in t.groupby(["donor", "recipient", "stage"], dropna=False):
        fig.add_bar(x=g["fiscal_year"].astype(str), y=g["amount_usd"].astype(float),
                    name=f"{donor} → {recipient} ({stage})")
    fig.update_layout(title="Aid by donor, recipient and fiscal year (USD, one figure per stage)",
                      barmode="group", xaxis_title="fiscal year", yaxis_title="USD")
    rows = "".join(
        f"<tr><td>{esc(x['donor'])}</td><td>{esc(x['recipient'])}</td><td>{esc(x['fiscal_year'])}</td>"
        f"<td>{esc(x['stage'])}</td><td>{float(x['amount_usd']):,.0f}</td><td>{esc(x['basis'])}</td>"
        f"<td>{r.cite('aid_allocation', str(x['figures']).split(', '))}</td></tr>"
        for x in t.to_dict("records"))
    return (f"<h2>Aid</h2>{_figure(fig, 'chart-aid')}<table><tr><th>donor</th><th>recipient</th><th>year</th>"
            f"<th>stage</th><th>USD</th><th>basis</th><th>articles and evidence</th></tr>{rows}</table>")


def deals(r: Report) -> str:
    d = r.v["deals"].copy()
    d["when"] = pd.to_datetime(d["status_date"].fillna(d["year_start"]).fillna(d["first_published_on"]))
    fig = go.Figure()
    for status, g in d.groupby("status"):
        fig.add_scatter(x=g["when"], y=g["deal"].str.slice(0, 40), mode="markers", name=status,
                        marker={"size": 12}, text=g["value_usd"].map(lambda v: f"{v:,.0f} USD" if pd.notna(v) else ""))
    fig.update_layout(title="Deals on a timeline by status", xaxis_title="status date (else year)")
    rows = "".join(
        f"<tr><td>{esc(x['deal'])}</td><td>{esc(x['buyer'])}</td><td>{esc(x['status'])}</td>"
        f"<td>{esc(x['value_usd'])}</td><td>{r.cite('deal', [x['deal_id']])}</td></tr>"
        for x in d.sort_values("when", na_position="last").to_dict("records"))
    return (f"<h2>Deals</h2>{_figure(fig, 'chart-deals')}<table><tr><th>deal</th><th>buyer</th><th>status</th>"
            f"<th>USD</th><th>articles and evidence</th></tr>{rows}</table>")


def network(r: Report) -> str:
    s = r.v["deal_suppliers"]
    edges = sorted({(x["supplier"], x["buyer_country"] or x["buyer"]) for x in s.to_dict("records")})
    left = sorted({a for a, _ in edges})
    right = sorted({b for _, b in edges})
    pos = {("s", n): (0.0, i / max(len(left) - 1, 1)) for i, n in enumerate(left)}
    pos |= {("b", n): (1.0, i / max(len(right) - 1, 1)) for i, n in enumerate(right)}
    xs: list = []
    ys: list = []
    for a, b in edges:
        (x0, y0), (x1, y1) = pos[("s", a)], pos[("b", b)]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    fig = go.Figure()
    fig.add_scatter(x=xs, y=ys, mode="lines", line={"color": "#999"}, hoverinfo="skip", name="supplies")
    for side, names, label in (("s", left, "suppliers"), ("b", right, "buyers' countries")):
        fig.add_scatter(x=[pos[(side, n)][0] for n in names], y=[pos[(side, n)][1] for n in names], text=names,
                        mode="markers+text", textposition="middle left" if side == "s" else "middle right",
                        marker={"size": 14}, name=label)
    fig.update_layout(title="Who supplies whom", xaxis={"visible": False, "range": [-0.8, 1.8]},
                      yaxis={"visible": False})
    rows = "".join(
        f"<tr><td>{esc(x['supplier'])}</td><td>{esc(x['buyer_country'] or x['buyer'])}</td><td>{esc(x['deal'])}</td>"
        f"<td>{r.cite('deal', [x['deal_id']])}</td></tr>" for x in s.to_dict("records"))
    return (f"<h2>Who supplies whom</h2>{_figure(fig, 'chart-network')}<table><tr><th>supplier</th><th>buyer</th>"
            f"<th>deal</th><th>articles and evidence</th></tr>{rows}</table>")


def discrepancies(r: Report, limit: int = 10) -> str:
    x = r.v["discrepancies"].copy()
    by_file = {f: i for i, f in r.files.items()}
    x["latest"] = x[["published_on_a", "published_on_b"]].max(axis=1)
    rows = "".join(
        f"<tr><td>{esc(d['kind'])}</td><td>{esc(d['subject'])}: {esc(d['attribute'])}</td>"
        f"<td>{esc(d['value_a'])}<br>{_links([by_file[d['source_a']]], r.files)}<blockquote>{esc(d['excerpt_a'])}"
        f"</blockquote></td><td>{esc(d['value_b'])}<br>{_links([by_file[d['source_b']]], r.files)}<blockquote>"
        f"{esc(d['excerpt_b'])}</blockquote></td></tr>"
        for d in x.sort_values("latest", ascending=False).head(limit).to_dict("records"))
    return (f"<h2>Latest discrepancies between sources</h2><table><tr><th>kind</th><th>about</th><th>one source</th>"
            f"<th>another source</th></tr>{rows}</table>")


def articles(r: Report) -> str:
    rows = "".join(
        f'<tr id="article-{a["article_id"]}"><td>{esc(a["source_file"])}</td><td>{esc(a["title"])}</td>'
        f'<td>{esc(a["publisher"])}</td><td>{esc(a["published_on"])}</td></tr>'
        for a in r.v["articles"].sort_values("source_file").to_dict("records"))
    return ("<h2>Articles</h2><table><tr><th>file</th><th>title</th><th>publisher</th><th>published</th></tr>"
            f"{rows}</table>")


def render(engine: Engine, stamp: str | None = None) -> str:
    """The report as one HTML document; ``stamp`` says when (default: now, UTC)."""
    r = Report(engine)
    body = "".join(part(r) for part in (overview, aid, deals, network, discrepancies, articles))
    stamp = stamp or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ArmsLedger report</title>'
            f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body><h1>ArmsLedger report</h1>"
            f"<p>Generated {stamp}.</p>{body}</body></html>")


def write_report(engine: Engine, path: Path, stamp: str | None = None) -> Path:
    """Write the report to ``path``; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(engine, stamp), encoding="utf-8")
    return path
