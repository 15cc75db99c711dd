"""Python values as TOML text: for `Scenario.from_dict` and for the override values of
`Scenario.with_overrides`. Tables nest as inline tables, which TOML allows at any depth, so
the writer needs no section headers."""

import json
import math
import re

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def key(name):
    """A TOML key: bare when it can be, quoted otherwise."""
    if not isinstance(name, str):
        raise TypeError(f"scenario keys are strings, not {type(name).__name__}: {name!r}")
    return name if _BARE_KEY.match(name) else json.dumps(name)


def value(v):
    """A TOML value for a Python string, number, bool, list or dict."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        # A JSON string is a TOML basic string (the same escapes).
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(
        f"a scenario value is a string, number, bool, list or dict, not {type(v).__name__}: {v!r}"
    )


def dumps(table):
    """A whole scenario: one `key = value` line per top-level key."""
    if not isinstance(table, dict):
        raise TypeError(f"a scenario is a dict, not {type(table).__name__}")
    return "".join(f"{key(k)} = {value(v)}\n" for k, v in table.items())


def override(path, v):
    """A `--set` override: `key.path=value`."""
    if not isinstance(path, str) or not path:
        raise TypeError(f"an override key is a dotted path such as 'agents.count', not {path!r}")
    return f"{path}={value(v)}"
