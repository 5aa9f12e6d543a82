"""Packaged YAML is read with the C loader where present, and each file is parsed once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backstride import data_files
from backstride.errors import KnowledgeBaseError

SRC = Path(data_files.__file__).parent
PACKAGED = sorted(SRC.rglob("*.yaml"))


def test_the_c_loader_is_used_when_libyaml_is_there() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml here")
    assert data_files.YAML_LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", PACKAGED, ids=lambda p: str(p.relative_to(SRC)))
def test_the_c_loader_reads_every_packaged_file_as_the_python_loader_does(path: Path) -> None:
    assert data_files.read_yaml(path) == yaml.load(path.read_text("utf-8"), Loader=yaml.SafeLoader)


def test_a_rewritten_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    assert data_files.read_yaml(path) == {"a": 1}
    path.write_text("a: 22\n")  # a different size, so a different key even within one tick
    assert data_files.read_yaml(path) == {"a": 22}


def test_errors_name_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1,\n")
    with pytest.raises(KnowledgeBaseError, match=r"shown\.yaml: not valid YAML at line 2"):
        data_files.read_yaml(path, "shown.yaml")
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        data_files.read_yaml(tmp_path / "missing.yaml")
    path.write_bytes(b"a: caf\xe9\n")
    with pytest.raises(KnowledgeBaseError, match="not UTF-8 text"):
        data_files.read_yaml(path)


PROBE = """
import json
from collections import Counter
from functools import cache
from backstride import data_files

parsed = Counter()
original = data_files._parse.__wrapped__

def counted(path, mtime_ns, size):
    parsed[str(path)] += 1
    return original(path, mtime_ns, size)

data_files._parse = cache(counted)
from backstride.kb import default_knowledge_base
from backstride.plan.exercises import load_exercise_library
from backstride.plan.rules import load_rules
from backstride.reader import read_story

read_story("sore low back after a long ride, no tingling, my dad has AS")
load_exercise_library()
load_rules()
default_knowledge_base()
print(json.dumps(parsed))
"""


def test_every_data_file_is_parsed_once_per_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=True
    )
    parsed = json.loads(proc.stdout.strip().splitlines()[-1])
    names = {Path(p).name for p in parsed}
    assert {"targets.yaml", "context.yaml", "extractors.yaml", "plan_rules.yaml"} <= names
    assert {"findings.yaml", "sources.yaml", "strength.yaml"} <= names
    assert {p: n for p, n in parsed.items() if n != 1} == {}
