"""Server-side SVG charts: accessible, escaped, no inline styles (CSP)."""

from guidance.charts import Bar, bar_chart, figures


def test_bar_chart_is_labelled_escaped_and_without_styles():
    svg = str(bar_chart(chart_id="c", title="Titel <b>", description="Beschreibung", bars=[
        Bar("A & B", 10, "10 %"), Bar("<script>", 5, "5 %", high=8),
    ]))
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert "<title id=\"c-title\">Titel &lt;b&gt;</title>" in svg
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    assert "style=" not in svg
    assert svg.count("<rect") == 3  # two bars and the range part of the second
    assert "10 %" in svg and "5 %" in svg  # values written out: nothing by colour alone


def test_every_figure_has_a_source_and_a_year_per_row():
    for figure in figures():
        assert figure.rows
        for label, value, source, year in figure.rows:
            assert label and value and source and year
