"""The one schema declaration: documented, and the JSON Schema editors get agrees with it."""
from __future__ import annotations

import datetime
import json
import shutil

import jsonschema
import pytest
import yaml

from generator.records import data_files
from generator.schema import FIELDS, RELATIONS, SECTION_FIELDS, SOURCE_FIELDS, json_schema

from .conftest import ROOT

ALL_FIELDS = [f.name for f in FIELDS] + [f"source.{f.name}" for f in SOURCE_FIELDS] + \
    [f"members[].{f.name}" for f in SECTION_FIELDS]


@pytest.mark.parametrize("name", ALL_FIELDS)
def test_every_field_is_described_and_documented(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| `{name}` |" in readme


@pytest.mark.parametrize("field", list(FIELDS) + list(SOURCE_FIELDS) + list(SECTION_FIELDS),
                         ids=lambda f: f.name)
def test_every_field_has_a_description(field):
    assert len(field.description) > 20 and field.description.endswith((".", ")"))


@pytest.mark.parametrize("key", RELATIONS)
def test_every_relation_type_is_in_the_json_schema(key):
    props = json_schema()["properties"]["records"]["items"]["properties"]["relations"]
    assert key in props["properties"]


def test_committed_json_schema_is_current():
    assert json.loads((ROOT / "data" / "schema.json").read_text()) == json_schema()


def as_editor_sees(value):
    """YAML as a YAML 1.2 language server reads it: dates stay text."""
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.mark.parametrize("path", data_files(ROOT / "data"), ids=lambda p: p.name)
def test_data_files_satisfy_the_json_schema(path):
    doc = as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.validate(doc, json_schema())


def test_json_schema_flags_a_typo_like_the_validator_does():
    doc = {"records": [{"kind": "modifier", "system": "cpt", "code": "53", "title": "x",
                        "descripton": "typo", "source": {"name": "Editors"}}]}
    with pytest.raises(jsonschema.ValidationError, match="descripton"):
        jsonschema.validate(doc, json_schema())


# --- the job board's schema, from the same field kit -----------------------------------------

def test_committed_jobs_schema_is_current_and_named_by_jobs_yaml():
    from generator.jobboard import json_schema as jobs_schema

    assert json.loads((ROOT / "data" / "jobs.schema.json").read_text()) == jobs_schema()
    first = (ROOT / "data" / "jobs.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=jobs.schema.json"


def test_jobs_yaml_satisfies_its_json_schema_and_a_typo_does_not():
    from generator.jobboard import json_schema as jobs_schema

    doc = as_editor_sees(yaml.safe_load((ROOT / "data" / "jobs.yaml").read_text()))
    jsonschema.validate(doc, jobs_schema())
    doc["jobs"][0]["salary"] = {"min": 20, "max": 30, "period": "hour", "perod": "x"}
    with pytest.raises(jsonschema.ValidationError, match="perod"):
        jsonschema.validate(doc, jobs_schema())


def test_schema_check_command_names_a_stale_jobs_schema(tmp_path, monkeypatch, capsys):
    from generator.__main__ import main

    shutil.copytree(ROOT / "data", tmp_path / "data",
                    ignore=shutil.ignore_patterns("icd-10-cm"))
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "--check"]) == 0
    (tmp_path / "data" / "jobs.schema.json").write_text("{}\n")
    assert main(["schema", "--check"]) == 1
    assert "data/jobs.schema.json out of date" in capsys.readouterr().err
