"""A tour as one self-contained HTML file for slides and students' notes: every step's story, numbers
and cached experiment, the tour drawn as a tree and its numbers as a chart; plotly.js is inlined
once, so the file works offline with no server (only the papers are links). Made in the session's
language when the download is clicked, on Streamlit's download thread: nothing here calls st.* but
the button itself."""

from __future__ import annotations

import html

import networkx as nx
import plotly.graph_objects as go
import streamlit as st
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from lineage.figure import tree_figure
from lineage.layout import compute_layout
from lineage.localized import localized
from lineage.queries import readable_source
from lineage.tours import Tour, TourStep
from models.analysis import AnalysisError
from models.compare.table import CompareRow, compare_row
from models.experiments import EXPERIMENTS, cached_result
from ui import units
from ui.experiment_views import curve_figure, variants_table
from ui.i18n import translate, translate_message
from ui.tour_models import numbers_frame, step_model_ids
from ui.tour_views import headline

FIGURE_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}
STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; line-height: 1.5; }
h1 { margin-bottom: 0.2rem; } .meta, .source { color: #444; font-size: 0.9rem; }
.note { border-left: 4px solid #1c7ed6; background: #eef5fc; padding: 0.6rem 1rem; }
table { border-collapse: collapse; margin: 0.6rem 0; } th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; }
th { background: #f1f3f5; text-align: left; } article.step { border-top: 2px solid #333; margin-top: 2rem; }
.verdict { font-weight: 600; }
@media print { article.step { break-before: page; } .figure { break-inside: avoid; } }
"""


def handout_button(graph: nx.DiGraph, tour: Tour, lang: str) -> None:
    """The download: the file is made only when clicked (it counts every network of the tour)."""
    name = "-".join(tour.query.values())  # imagenet, or lenet-shufflenet for a path
    st.download_button(translate("Download the tour as one HTML file", lang),
                       data=lambda: handout_html(graph, tour, lang), file_name=f"tour-{name}-{lang}.html",
                       mime="text/html", on_click="ignore", icon=":material/download:", key="tour_handout",
                       help=translate("Self-contained: works offline, for slides and students' notes", lang))


def handout_html(graph: nx.DiGraph, tour: Tour, lang: str) -> str:
    """The whole tour as one HTML document in `lang`."""
    text = lambda english, **values: html.escape(translate(english, lang, **values))  # noqa: E731
    rows = _rows(tour)
    count = len(tour.steps)
    steps = "\n".join(_step_html(graph, tour, number, rows, lang) for number in range(1, count + 1))
    meta = text("Lineage Explorer tour · {n} steps · compute in multiply-accumulates (1 MAC = 2 FLOPs)", n=count)
    tour_map = _figure(_map_figure(graph, tour), "tour-map")
    numbers = _figure(_numbers_figure(graph, tour, rows, lang), "tour-numbers")
    return f"""<!DOCTYPE html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(tour.title(lang))}</title><style>{STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head>
<body><header><h1>{html.escape(tour.title(lang))}</h1><p>{html.escape(tour.intro(lang))}</p>
<p class="meta">{meta}</p>
</header>
<section class="figure"><h2>{text("The tour on the tree")}</h2>{tour_map}</section>
<section class="figure"><h2>{text("The numbers along the tour")}</h2>{numbers}</section>
{steps}
</body></html>
"""


def _rows(tour: Tour) -> dict[str, CompareRow]:
    """The comparison row of every model the tour meets (a model that cannot be counted is left out)."""
    rows = {}
    for model_id in dict.fromkeys(i for step in tour.steps for i in step_model_ids(step)):
        try:
            rows[model_id] = compare_row(model_id)
        except AnalysisError:
            continue
    return rows


def _step_html(graph: nx.DiGraph, tour: Tour, number: int, rows: dict[str, CompareRow], lang: str) -> str:
    step = tour.steps[number - 1]
    text = lambda english, **values: html.escape(translate(english, lang, **values))  # noqa: E731
    parts = [f'<article class="step" id="step-{number}">',
             f"<h2>{text('Step {n} of {m}', n=number, m=len(tour.steps))}: {html.escape(headline(graph, step))}</h2>"]
    if step.note(lang):
        parts.append(f'<p class="note">{html.escape(step.note(lang))}</p>')
    parts.append(_story_html(graph, step, lang))
    step_rows = [rows[i] for i in step_model_ids(step) if i in rows]
    if step_rows:
        parts.append(f"<h3>{text('The numbers')}</h3>" + numbers_frame(step_rows, lang).to_html(escape=True))
    parts.append(_experiment_html(step, lang))
    parts.append("</article>")
    return "\n".join(parts)


def _story_html(graph: nx.DiGraph, step: TourStep, lang: str) -> str:
    text = lambda english: html.escape(translate(english, lang))  # noqa: E731
    papers = " · ".join(_paper_link(graph.nodes[n]) for n in (step.source, step.target) if n)
    if step.edge is None:
        story = f"<p>{html.escape(localized(graph.nodes[step.target], 'summary', lang))}</p>"
    else:
        edge = graph.edges[step.edge]
        kind = localized(graph.graph["edge_kinds"][edge["kind"]], "label", lang)
        story = (f"<p><b>{text('Innovation')}:</b> {html.escape(localized(edge, 'innovation', lang))}</p>"
                 f"<p>{html.escape(localized(edge, 'explanation', lang))}</p>"
                 f'<p class="source">{text("Source")}: {html.escape(translate_message(readable_source(edge["evidence"]), lang))} · '
                 f"{text('kind of link')}: {html.escape(kind)}</p>")
    return story + f'<p class="source">{text("Papers")}: {papers}</p>'


def _paper_link(node: dict) -> str:
    return (f'<a href="{html.escape(node["url"])}">{html.escape(node["title"])}</a> '
            f"({html.escape(node['first_author'])}, {node['year']})")


def _experiment_html(step: TourStep, lang: str) -> str:
    if step.edge not in EXPERIMENTS:
        return ""
    text = lambda english, **values: html.escape(translate(english, lang, **values))  # noqa: E731
    experiment = EXPERIMENTS[step.edge]
    parts = [f"<h3>{text('The experiment')}</h3>",
             f"<p><b>{html.escape(experiment.title)}</b>: {html.escape(experiment.claim)}</p>"]
    result = cached_result(*step.edge)
    if result is None:
        not_run = text("Not run on this server yet: press Run on the Tour or Experiments page, then download again.")
        parts.append(f"<p>{not_run}</p>")
        return "\n".join(parts)
    parts += [f'<p class="verdict">{text("Verdict (computed from this run)")}: {html.escape(result.verdict)}</p>',
              f"<p>{text('The paper')}: {html.escape(result.paper['number'])} "
              f"({html.escape(result.paper['where'])})</p>",
              variants_table(result).to_html(index=False, escape=True)]
    if result.kind == "trained":
        points = [{"variant": v.name, **p} for v in result.variants for p in v.curve]
        parts.append(_figure(curve_figure(points), f"curve-{'-'.join(step.edge)}"))
    return "\n".join(parts)


def _map_figure(graph: nx.DiGraph, tour: Tour) -> go.Figure:
    """The tour's networks and edges only, laid out and drawn as the home page draws the whole tree."""
    subgraph = nx.DiGraph(**graph.graph)
    subgraph.add_nodes_from((n, graph.nodes[n]) for n in tour.nodes())
    subgraph.add_edges_from((*step.edge, graph.edges[step.edge]) for step in tour.steps if step.edge)
    return tree_figure(subgraph, compute_layout(subgraph))


def _numbers_figure(graph: nx.DiGraph, tour: Tour, rows: dict[str, CompareRow], lang: str) -> go.Figure:
    """Parameters and compute of each network's model in the order the tour meets them (log scales)."""
    ordered = [rows[i] for i in dict.fromkeys(i for s in tour.steps for i in step_model_ids(s)) if i in rows]
    names = [row.name for row in ordered]
    params_title, compute_title = translate("parameters (millions)", lang), translate("compute (GMACs)", lang)
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, subplot_titles=(params_title, compute_title))
    figure.add_trace(go.Bar(y=names, x=[r.params / 1e6 for r in ordered], orientation="h", name=params_title),
                     row=1, col=1)
    figure.add_trace(go.Bar(y=names, x=[units.compute(r.macs, "GMACs") for r in ordered], orientation="h",
                            name=compute_title), row=1, col=2)
    figure.update_xaxes(type="log")
    figure.update_yaxes(autorange="reversed")  # the tour's order, top down
    figure.update_layout(height=120 + 28 * len(names), showlegend=False, margin={"t": 40, "b": 10})
    return figure


def _figure(figure: go.Figure, div_id: str) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, config=FIGURE_CONFIG, div_id=div_id)
