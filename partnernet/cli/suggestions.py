"""The suggestion commands: ``gaps`` (whom to invite) and ``backtest`` (how well that works here).

Both call one function of :mod:`partnernet.metrics` and only shape its table
for reading: in the text table ``gaps`` lists the candidates linked to the
members, those with only their sector for them, and the missing sectors with
no actor apart, and shows a tie as ``1=``; CSV and JSON keep the library's
columns (``rank``, ``rank_label``, ``same_sector_only``, both reasons).
"""

from __future__ import annotations

import click

from ..defaults import BACKTEST_CASES, BACKTEST_SEED, DEFAULT_LANG, GAPS_CANDIDATES, GAPS_MIN_MEMBERS, LANGS
from .common import SEED_TYPE, Run, as_of_option, cli, count, counted, data_options, emit_table, names, table_options


_match = click.option("--match", callback=names("give at least one attribute column, e.g. --match theme,region"),
                      metavar="COL[,COL]",
                      help="Attribute columns to compare (default: discovered from the data's extra columns).")


@cli.command()
@data_options
@as_of_option
@table_options
@click.option("--partnership", metavar="NAME", help="Only this partnership, by id or label.")
@click.option("--top", type=count(0), default=GAPS_CANDIDATES, show_default=True, metavar="N",
              help="Candidates per missing sector (0 = all).")
@click.option("--min-members", type=count(1), default=GAPS_MIN_MEMBERS, show_default=True, metavar="N",
              help="Leave out partnerships with fewer members (named or declared unnamed): no one to invite with.")
@_match
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              help="Language of the reason in the text table (csv and json carry both).")
def gaps(run: Run, as_of, fmt, out, partnership, top, min_members, match, lang) -> None:
    """For each missing sector of a partnership: actors that could fill it, and why.

    Candidates are ranked by one score (network proximity, shared attributes,
    a restrained popularity term); equal scores share a rank, shown as 1=.
    The text table lists candidates with no link to the members under "same
    sector only", apart from the real leads; "lists" counts the other
    partnerships whose lists the candidate is also in.
    """
    from ..metrics import gaps_table

    g = run.graph(as_of)
    partnership = run.node(g, partnership, "partnership", "--partnership")
    options = {"top": top or None, "min_members": min_members, "match": match}
    frame = gaps_table(g, partnership=partnership, **options)
    emit_table(run, fmt=fmt, out=out, frame=frame, sections=_gap_sections(frame, lang) if fmt == "table" else None,
               lang=lang)
    run.done(gaps_summary(frame, min_members))


def _gap_sections(frame, lang: str) -> list[tuple[str, object]]:
    """The text table's blocks: linked candidates, same sector only, missing sectors with no actor."""
    import polars as pl

    text = frame.drop("rank", "reason_en" if lang == "da" else "reason_da").rename(
        {"rank_label": "rank", f"reason_{lang}": "reason"})
    has = pl.col("candidate").is_not_null()
    linked = text.filter(has & ~pl.col("same_sector_only")).drop("same_sector_only")
    alone = text.filter(has & pl.col("same_sector_only")).drop(
        "same_sector_only", "shared_partnerships", "linked_members", "via")
    none = text.filter(~has).select("partnership", "partnership_label", "sector")
    return [
        (f"Linked to the members: {counted(linked.height, 'suggestion')}", linked),
        (f"Same sector only (no link to the members yet): {counted(alone.height, 'suggestion')}", alone),
        (f"No actor of this sector in the data: {counted(none.height, 'missing sector')}", none),
    ]


def gaps_summary(frame, min_members: int = GAPS_MIN_MEMBERS) -> str:
    """What the gaps table holds, counted honestly: real candidates apart from the sectors nobody can fill.

    >>> import polars as pl
    >>> gaps_summary(pl.DataFrame({"partnership": ["p"] * 2, "sector": ["a", "b"], "candidate": [None, None],
    ...                            "same_sector_only": [None, None]}))
    'no suggestions for 2 missing sectors in 1 partnership; 2 missing sectors with no actor in the data'
    """
    import polars as pl

    if frame.is_empty():
        left_out = f" (partnerships with fewer than {counted(min_members, 'member')} left out; see --min-members)"
        return "no missing sectors to fill" + (left_out if min_members > 1 else "")
    cands = frame.filter(pl.col("candidate").is_not_null())
    alone = int(cands["same_sector_only"].cast(pl.Int64).sum())
    pairs = frame.select("partnership", "sector").n_unique()
    no_actor = frame.height - cands.height
    found = "no suggestions" if cands.is_empty() else (
        f"{counted(cands.height, 'suggestion')} ({cands.height - alone} linked to the members, "
        f"{alone} same sector only; {counted(cands['candidate'].n_unique(), 'distinct actor')})")
    line = f"{found} for {counted(pairs, 'missing sector')} in {counted(frame['partnership'].n_unique(), 'partnership')}"
    return line + (f"; {counted(no_actor, 'missing sector')} with no actor in the data" if no_actor else "")


@cli.command()
@data_options
@as_of_option
@table_options
@click.option("--cases", type=count(1), default=BACKTEST_CASES, show_default=True, metavar="N",
              help="Test up to N partnerships (drawn with --seed from the eligible ones).")
@click.option("--seed", type=SEED_TYPE, default=BACKTEST_SEED, show_default=True, help="Random seed for the cases drawn.")
@_match
def backtest(run: Run, as_of, fmt, out, cases, seed, match) -> None:
    """How well the suggestions find a member hidden from a partnership, next to three baselines.

    \b
    For up to N partnerships with at least 3 members, one member is hidden
    that is the only one of its sector there and takes part in another
    partnership; all hidden memberships are removed at once, and every method
    ranks the actors of that sector. Reported: hit@1, hit@5, hit@10 (share of
    tests with the hidden member among the first k), MRR@10 and how many
    distinct actors fill the top-10 lists, for partnernet's score and the
    baselines popularity, common neighbours and mass diffusion.
    """
    import polars as pl

    from ..metrics.backtest import backtest as run_backtest

    result = run_backtest(run.graph(as_of), cases=cases, seed=seed, match=match)
    frame = result.table if result.cases else result.table.clear()
    text = frame.select(
        "method", *(pl.col(f"hit_{k}").round(3).alias(f"hit@{k}") for k in (1, 5, 10)),
        pl.col("mrr_10").round(3).alias("MRR@10"), pl.col("distinct_top10").alias("distinct_actors"))
    note = backtest_sentence(result.table) if result.cases else NO_CASES
    emit_table(run, fmt=fmt, out=out, frame=text if fmt == "table" else frame, note=note)
    run.done(f"{counted(result.cases, 'case')} drawn from {counted(result.eligible, 'eligible partnership')} "
             f"(seed {seed}); partnernet's weights: {result.model.kind}")


NO_CASES = ("No partnership can be tested: none has at least 3 members with one that is the only member "
            "of its sector there and takes part in another partnership.")


def backtest_sentence(table) -> str:
    """The result in one sentence: partnernet's hit@10 and the best baseline's (by hit@10, then MRR@10).

    >>> import polars as pl
    >>> backtest_sentence(pl.DataFrame({"method": ["partnernet", "popularity", "common_neighbours"],
    ...                                 "hit_10": [0.771, 0.2, 0.709], "mrr_10": [0.5, 0.1, 0.4],
    ...                                 "cases": [265, 265, 265]}))
    'On this network the hidden member was among the first 10 suggestions in 77 % of 265 tests (best baseline: common neighbours, 71 %).'
    """
    from ..metrics.backtest import METHOD

    rows = table.rows_by_key("method", named=True, unique=True)
    ours = rows.pop(METHOD)
    best = max(rows, key=lambda m: (rows[m]["hit_10"], rows[m]["mrr_10"]))  # equal hit@10: the better MRR@10
    return (f"On this network the hidden member was among the first 10 suggestions in {_percent(ours['hit_10'])} "
            f"of {counted(ours['cases'], 'test')} (best baseline: {best.replace('_', ' ')}, "
            f"{_percent(rows[best]['hit_10'])}).")


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %"
