"""Safe YAML loading: positions, duplicate keys, refused tags, plain scalars."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csintake.errors import YamlError
from csintake.files.yamlfile import Mark, dump, load_file, load_text


def problems_of(text: str, file: str = "f.yaml") -> list[str]:
    with pytest.raises(YamlError) as info:
        load_text(text, file)
    return info.value.lines()


def test_values_and_keys_have_1_based_positions() -> None:
    text = 'a: 1\nb:\n  - x\n  - {c: "q"}\n'
    doc = load_text(text, "f.yaml")
    assert doc.value == {"a": 1, "b": ["x", {"c": "q"}]}
    # values
    assert (doc.values[("a",)].line, doc.values[("a",)].column) == (1, 4)
    assert (doc.values[("b", 0)].line, doc.values[("b", 0)].column) == (3, 5)
    assert (doc.values[("b", 1)].line, doc.values[("b", 1)].column) == (4, 5)
    assert (doc.values[("b", 1, "c")].line, doc.values[("b", 1, "c")].column) == (4, 9)
    assert doc.values[("b", 1, "c")].style == '"'
    # keys
    assert (doc.keys[("a",)].line, doc.keys[("a",)].column) == (1, 1)
    assert (doc.keys[("b",)].line, doc.keys[("b",)].column) == (2, 1)
    assert (doc.keys[("b", 1, "c")].line, doc.keys[("b", 1, "c")].column) == (4, 6)


def test_mark_falls_back_to_the_nearest_parent() -> None:
    doc = load_text("outer:\n  inner: 1\n", "f.yaml")
    # a path that does not exist points at the closest thing that does
    assert doc.mark(("outer", "inner", "deeper")) == doc.values[("outer", "inner")]
    assert doc.mark(("outer", "missing")) == doc.values[("outer",)]
    assert doc.mark(("nothing",)) == doc.values[()]


def test_problem_offset_points_into_plain_and_quoted_scalars() -> None:
    doc = load_text("p: abc def\nq: 'abc def'\nr: \"abc def\"\n", "f.yaml")
    assert str(doc.problem(("p",), "here", offset=4)) == "f.yaml:1:8: here"
    # the opening quote is skipped
    assert str(doc.problem(("q",), "here", offset=4)) == "f.yaml:2:9: here"
    assert str(doc.problem(("r",), "here", offset=4)) == "f.yaml:3:9: here"


def test_problem_offset_zero_is_past_the_opening_quote() -> None:
    doc = load_text("q: 'abc'\nr: abc\n", "f.yaml")
    assert str(doc.problem(("q",), "here", offset=0)) == "f.yaml:1:5: here"
    assert str(doc.problem(("q",), "here")) == "f.yaml:1:4: here"
    assert str(doc.problem(("r",), "here", offset=0)) == "f.yaml:2:4: here"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("q: 'it''s X'", "it's X"),
        ('q: "say \\"hi\\" X"', 'say "hi" X'),
        ('q: "tab\\there X"', "tab\there X"),
        ('q: "caf\\u00e9 X"', "café X"),
        ('q: "caf\\xe9 X"', "café X"),
        ('q: "caf\\U000000e9 X"', "café X"),
        ("q: 'café X'", "café X"),
    ],
)
def test_problem_offset_follows_escapes_in_quoted_scalars(line: str, value: str) -> None:
    doc = load_text(line + "\n", "f.yaml")
    assert doc.value == {"q": value}
    column = int(str(doc.problem(("q",), "here", offset=value.index("X"))).split(":")[2])
    assert line[column - 1] == "X"


def test_problem_offset_with_windows_line_ends() -> None:
    doc = load_text("a: 1\r\nq: 'it''s X'\r\n", "f.yaml")
    assert str(doc.problem(("q",), "here", offset=5)) == "f.yaml:2:11: here"


def test_problem_offset_is_ignored_for_multi_line_scalars() -> None:
    doc = load_text("p: >-\n  abc\n  def\n", "f.yaml")
    mark = doc.values[("p",)]
    assert mark == Mark(1, 4, ">", single_line=False)
    assert str(doc.problem(("p",), "here", offset=5)) == "f.yaml:1:4: here"


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    assert problems_of("a: 1\nb: 2\na: 3\n") == ["f.yaml:3:1: duplicate key 'a'"]


def test_nested_duplicate_key_has_its_column() -> None:
    assert problems_of("top:\n  x: 1\n  x: 2\n") == ["f.yaml:3:3: duplicate key 'x'"]


UNSAFE = [
    pytest.param('x: !!python/object/apply:os.system ["touch {marker}"]\n', 1, 4, id="apply"),
    pytest.param("x: !!python/name:os.system\n", 1, 4, id="name"),
    pytest.param('x:\n  - !!python/object/new:os.system ["touch {marker}"]\n', 2, 5, id="new"),
    pytest.param(
        "x: !!python/object/apply:os.system\n  args: ['touch {marker}']\n", 1, 4, id="apply-map"
    ),
    pytest.param("k:\n  v: !foo touch {marker}\n", 2, 6, id="custom"),
    pytest.param("!!python/object/apply:os.system ['touch {marker}']\n", 1, 1, id="top-level"),
]


@pytest.mark.parametrize(("template", "line", "col"), UNSAFE)
def test_unsafe_tags_are_refused_and_never_executed(
    template: str, line: int, col: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"
    text = template.replace("{marker}", str(marker))
    found = problems_of(text)
    assert len(found) == 1
    assert found[0].startswith(f"f.yaml:{line}:{col}: YAML tag ")
    assert found[0].endswith(" is not allowed")
    assert not marker.exists()
    assert not (tmp_path / "PWNED").exists()


def test_refused_tag_names_the_tag() -> None:
    assert problems_of("k: !foo bar\n") == ["f.yaml:1:4: YAML tag !foo is not allowed"]
    (line,) = problems_of("x: !!python/name:os.system\n")
    assert "python/name:os.system" in line


def test_unsafe_tag_in_a_file_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    path = tmp_path / "evil.yaml"
    path.write_text(f'x: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(YamlError) as info:
        load_file(path, "evil.yaml")
    assert info.value.lines()[0].startswith("evil.yaml:1:4: YAML tag ")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1, 2\n", "f.yaml:1:4: YAML syntax: "),
        ("a: b: c\n", "f.yaml:1:5: YAML syntax: mapping values are not allowed here"),
        ("a:\n  - x\n - y\n", "f.yaml:3:2: YAML syntax: "),
        ('a: "open\n', "f.yaml:1:4: YAML syntax: "),
    ],
)
def test_syntax_errors_have_line_and_column(text: str, expected: str) -> None:
    found = problems_of(text)
    assert len(found) == 1
    assert found[0].startswith(expected)


def test_timestamps_stay_strings() -> None:
    doc = load_text("d: 2024-01-02\nt: 2024-01-02T10:00:00Z\ns: 2024-1-2 10:00\n", "f.yaml")
    assert doc.value == {"d": "2024-01-02", "t": "2024-01-02T10:00:00Z", "s": "2024-1-2 10:00"}


@pytest.mark.parametrize("text", [".inf", "-.inf", "+.inf", ".nan", ".NaN", ".Inf"])
def test_inf_and_nan_stay_strings(text: str) -> None:
    assert load_text(f"x: {text}\n", "f.yaml").value == {"x": text}


def test_ordinary_scalars_are_typed() -> None:
    doc = load_text("i: 3\nf: 1.5\nb: true\nn: null\ns: hi\nq: '3'\n", "f.yaml")
    assert doc.value == {"i": 3, "f": 1.5, "b": True, "n": None, "s": "hi", "q": "3"}
    assert isinstance(doc.value["b"], bool)


def test_json_is_loaded_too() -> None:
    doc = load_text('{"a": [1, "x"], "b": null}', "f.json")
    assert doc.value == {"a": [1, "x"], "b": None}


def test_merge_keys_are_refused() -> None:
    found = problems_of("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert found == ["f.yaml:3:3: YAML merge keys (<<) are not supported"]


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as info:
        load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert info.value.lines()[0].startswith("missing.yaml: cannot read")


def test_non_utf8_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(YamlError) as info:
        load_file(path, "latin.yaml")
    assert info.value.lines()[0].startswith("latin.yaml: not UTF-8 text")


def test_aliases_are_expanded() -> None:
    doc = load_text("a: &x [1, 2]\nb: *x\nc: *x\n", "f.yaml")
    assert doc.value == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_alias_bomb_is_refused_quickly() -> None:
    # "billion laughs": nine levels of nine aliases each would be 9**9 values.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    found = problems_of("\n".join(lines) + "\n")
    assert len(found) == 1
    assert found[0].endswith(": YAML aliases expand too much")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n"])
def test_recursive_alias_is_refused(text: str) -> None:
    assert problems_of(text) == ["f.yaml:1:4: YAML alias refers to itself"]


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    depth = 5000
    assert problems_of("a: " + "[" * depth + "]" * depth + "\n") == [
        "f.yaml: YAML nested too deeply"
    ]


@pytest.mark.parametrize("context", ["a{}b", "{}", "{} x", "x\n{}\ny"])
def test_both_emitters_write_every_string_the_same(context: str) -> None:
    # A session's entries are dumped one by one and the file whole; they must read the same
    # whichever emitter each went through (the C one, or Python's for emoji and NEL).
    from csintake.files import yamlfile

    chars = [*range(0x800), 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF]
    for cp in chars:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        data = {"k": context.format(chr(cp))}
        python = yaml.dump(
            data,
            Dumper=yamlfile._Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
        assert dump(data) == python, hex(cp)
        assert load_text(python, "f.yaml").value == data, hex(cp)


def test_nel_and_emoji_together_read_back() -> None:
    data = {"k": "line\x85next \U0001f600", "n": "\x85"}
    assert load_text(dump(data), "f.yaml").value == data
