"""`flask model export` failures: a clear message, exit 1, and the target left untouched."""


def test_export_of_a_missing_model_names_the_uri_and_keeps_the_old_copy(
    tmp_path, make_app, monkeypatch
):
    # mlflow.set_tracking_uri (run by any earlier test that trained or loaded a model) also
    # exports MLFLOW_TRACKING_URI, which the export would read: this test sets none.
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    app = make_app(MODEL_URI="/nonexistent/model", MLFLOW_TRACKING_URI=None)
    target = tmp_path / "build" / "model"
    target.mkdir(parents=True)
    (target / "MLmodel").write_text("previous export\n")
    missing = tmp_path / "no-such-model"

    result = app.test_cli_runner().invoke(
        args=["model", "export", str(target), "--uri", str(missing)]
    )

    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert errors[0].startswith(f"Error: could not export '{missing}' (MLFLOW_TRACKING_URI=None):")
    assert "Train and register a champion first (`make model`)." in result.output
    assert "Traceback" not in result.output
    assert (target / "MLmodel").read_text() == "previous export\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model"]  # no staging left over
