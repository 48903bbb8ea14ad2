"""`flask outcomes load FILE`: every problem named by line and column, nothing half-loaded,
a later observation replaces an earlier one and says so, a second load changes nothing."""

import pytest
import sqlalchemy as sa

from app.models import Client, Outcome, OutcomeLoad


@pytest.fixture
def ids(db):
    query = sa.select(Client.sk_id_curr).order_by(Client.sk_id_curr).limit(5)
    return list(db.session.scalars(query))


def _write(tmp_path, text: str, name="outcomes.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _stored(db) -> dict[int, tuple]:
    db.session.remove()
    rows = db.session.scalars(sa.select(Outcome))
    return {o.client_id: (o.defaulted, o.observed_at.isoformat(), o.source_line) for o in rows}


def _loads(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutcomeLoad))


def test_a_good_file_loads_and_a_second_load_changes_nothing(runner, db, tmp_path, ids):
    text = "SK_ID_CURR,defaulted,observed_at\n" + "".join(
        f"{client_id},{i % 2},2026-0{i + 1}-15\n" for i, client_id in enumerate(ids)
    )
    path = _write(tmp_path, text)
    first = runner.invoke(args=["outcomes", "load", str(path)])
    assert first.exit_code == 0, first.output
    assert first.output.startswith(
        "5 rows in outcomes.csv: 5 new, 0 replaced, 0 unchanged, 0 older than the stored outcome"
    )
    assert _stored(db)[ids[1]] == (True, "2026-02-15", 3)
    second = runner.invoke(args=["outcomes", "load", str(path)])
    assert "0 new, 0 replaced, 5 unchanged" in second.output
    assert len(_stored(db)) == 5 and _loads(db) == 2


def test_a_later_observation_replaces_and_says_so_an_older_one_does_not(runner, db, tmp_path, ids):
    first = _write(tmp_path, f"SK_ID_CURR,defaulted,observed_at\n{ids[0]},0,2026-03-01\n"
                             f"{ids[1]},0,2026-03-01\n", "march.csv")  # fmt: skip
    runner.invoke(args=["outcomes", "load", str(first)])
    later = _write(tmp_path, f"observed_at,SK_ID_CURR,defaulted\n2026-06-01,{ids[0]},1\n"
                             f"2026-01-01,{ids[1]},1\n", "june.csv")  # fmt: skip
    result = runner.invoke(args=["outcomes", "load", str(later)])
    assert result.exit_code == 0, result.output
    assert "2 rows in june.csv: 0 new, 1 replaced, 0 unchanged, 1 older" in result.output
    assert (
        f"Client {ids[0]}: line 2 replaces the stored outcome: repaid (2026-03-01) -> "
        "defaulted (2026-06-01)." in result.output
    )
    assert f"Client {ids[1]}: line 3 (defaulted (2026-01-01)) is older than the stored" in (
        result.output
    )
    stored = _stored(db)
    assert stored[ids[0]][:2] == (True, "2026-06-01")
    assert stored[ids[1]][:2] == (False, "2026-03-01")


def test_within_one_file_the_later_line_wins_and_says_so(runner, db, tmp_path, ids):
    text = (
        "SK_ID_CURR,defaulted,observed_at\n"
        f"{ids[0]},0,2026-02-01\n{ids[0]},1,2026-02-01\n{ids[0]},0,2026-01-01\n"
    )
    result = runner.invoke(args=["outcomes", "load", str(_write(tmp_path, text))])
    assert result.exit_code == 0, result.output
    assert "3 rows in outcomes.csv: 1 new" in result.output
    assert f"Client {ids[0]}: line 3 replaces line 2 of the same file." in result.output
    assert f"Client {ids[0]}: line 4 is older than line 3 of the same file; not loaded." in (
        result.output
    )
    assert _stored(db) == {ids[0]: (True, "2026-02-01", 3)}


def test_every_bad_row_is_named_by_line_and_column_and_nothing_is_loaded(runner, db, tmp_path, ids):
    text = (
        "SK_ID_CURR,defaulted,observed_at\n"
        f"{ids[0]},0,2026-01-31\n"  # good, but not loaded because of the others
        f"{ids[1]},2,2026-01-31\n"
        f"abc,1,2026-01-31\n"
        f"{ids[2]},1,31/01/2026\n"
        f"{ids[3]},1,2026-02-30\n"
        f"{ids[4]},1,2999-01-01\n"
        "1,0,2026-01-01\n"
        f"{ids[0]},1\n"
    )
    result = runner.invoke(args=["outcomes", "load", str(_write(tmp_path, text))])
    assert result.exit_code == 1
    expected = [
        "outcomes.csv: 7 problems; nothing was loaded.",
        "line 3, column defaulted: must be 0 or 1, got '2'",
        "line 4, column SK_ID_CURR: must be an integer between 1 and 2147483647, got 'abc'",
        "line 5, column observed_at: must be a date written YYYY-MM-DD, got '31/01/2026'",
        "line 6, column observed_at: must be a date written YYYY-MM-DD, got '2026-02-30'",
        "line 7, column observed_at: must not be in the future",
        "line 8, column SK_ID_CURR: no client with this SK_ID_CURR in the client store (1)",
        "line 9, column (row): the row has 2 fields, the header has 3",
    ]
    for line in expected:
        assert line in result.output, (line, result.output)
    assert _stored(db) == {} and _loads(db) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SK_ID_CURR,observed_at\n1,2026-01-01\n", "line 1, column defaulted: is missing"),
        ("", "line 1, column SK_ID_CURR: is missing"),
        ("SK_ID_CURR,defaulted,observed_at\n", "the file has a header but no rows"),
        ("SK_ID_CURR,defaulted,defaulted,observed_at\n", "appears more than once"),
    ],
)
def test_file_level_problems(runner, db, tmp_path, text, message):
    result = runner.invoke(args=["outcomes", "load", str(_write(tmp_path, text))])
    assert result.exit_code == 1
    assert message in result.output
    assert _loads(db) == 0


def test_unreadable_files_are_named(runner, tmp_path):
    missing = runner.invoke(args=["outcomes", "load", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "nope.csv: 1 problem" in missing.output
    assert "the file does not exist" in missing.output
    latin = _write(tmp_path, "SK_ID_CURR,defaulted,observed_at\n1,0,café\n", encoding="latin-1")
    result = runner.invoke(args=["outcomes", "load", str(latin)])
    assert result.exit_code == 1 and "the file is not UTF-8 text" in result.output


def test_a_utf8_bom_and_blank_lines_are_fine(runner, db, tmp_path, ids):
    text = f"\ufeffSK_ID_CURR,defaulted,observed_at\n\n{ids[0]},1,2026-01-02\n\n"
    result = runner.invoke(args=["outcomes", "load", str(_write(tmp_path, text))])
    assert result.exit_code == 0, result.output
    assert _stored(db) == {ids[0]: (True, "2026-01-02", 3)}
