"""docs/python.md's worked example runs as written."""

import re

from conftest import ROOT


def test_worked_example_runs_as_written(capsys):
    text = (ROOT / "docs" / "python.md").read_text()
    section = text[text.index("## Worked example"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope = {}
    exec(compile(code, "docs/python.md", "exec"), scope)
    assert scope["verdict"].kind == "exact"
    assert scope["verdict"].verification.identical
    assert "spike agreement 1.000000" in capsys.readouterr().out
    assert scope["kwargs"] == {"dt": 0.0001, "reset_method": "subtract"}
    assert scope["norse_net"] is not None
