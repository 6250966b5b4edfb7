"""The JSON the CLI writes: one list item per line (fast to write at national scale), same data."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from plancheck.cli import cli
from plancheck.publish.text import json_text

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30)


@given(documents)
def test_json_text_is_the_same_document(doc):
    assert json.loads(json_text(doc)) == doc


def test_run_json_has_one_finding_per_line(runner):
    result = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "2025-12-31",
                                 "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    lines = result.output.splitlines()
    finding_lines = [line for line in lines if line.startswith('    {"plan": "hung_yen-2024')]
    assert len(finding_lines) == len(doc["findings"]) > 200
    assert json.loads(finding_lines[0].rstrip(",")) == doc["findings"][0]
    assert lines[0] == "{" and lines[1] == '  "province": "hung_yen",'
