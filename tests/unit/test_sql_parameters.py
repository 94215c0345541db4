"""SQL only through bound parameters: no product code builds SQL text from values."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_PACKAGES = ("kizuna", "console", "actions", "churn", "retention", "sentiment")
SQL_CALLS = {"text", "execute", "exec_driver_sql", "executescript", "executemany"}
# A PRAGMA takes no parameters; its value is a constant of the module.
ALLOWED = {("kizuna/db/engine.py", "PRAGMA busy_timeout=")}


def _called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def _built_sql(argument: ast.expr) -> bool:
    """An f-string, a %-format, a concatenation or a .format() call: text assembled at run time."""
    if isinstance(argument, ast.JoinedStr):
        return True
    if isinstance(argument, ast.BinOp) and isinstance(argument.op, (ast.Mod, ast.Add)):
        return True
    return isinstance(argument, ast.Call) and _called_name(argument) == "format"


def _leading_text(argument: ast.expr) -> str:
    if isinstance(argument, ast.JoinedStr) and argument.values and isinstance(argument.values[0], ast.Constant):
        return str(argument.values[0].value)
    return ""


def built_sql_calls(path: Path, root: Path = ROOT) -> list[tuple[str, int, str]]:
    relative = path.relative_to(root).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and _called_name(node) in SQL_CALLS and node.args and _built_sql(node.args[0]):
            if (relative, _leading_text(node.args[0])) not in ALLOWED:
                found.append((relative, node.lineno, _called_name(node)))
    return found


def test_no_product_code_assembles_sql_text():
    files = [p for package in PRODUCT_PACKAGES for p in (ROOT / package).rglob("*.py")]
    assert len(files) > 50
    assert [hit for path in files for hit in built_sql_calls(path)] == []


def test_the_check_finds_assembled_sql(tmp_path: Path):
    sample = tmp_path / "bad.py"
    sample.write_text(
        "session.execute(text(f\"SELECT * FROM customers WHERE id = '{cid}'\"))\n"
        "connection.execute('DELETE FROM messages WHERE id = %s' % mid)\n"
        "cursor.execute('SELECT ' + column)\n"
        "session.execute(text('SELECT * FROM customers WHERE id = :id'), {'id': cid})\n"
    )
    assert sorted((line, name) for _, line, name in built_sql_calls(sample, tmp_path)) == [(1, "text"), (2, "execute"), (3, "execute")]
