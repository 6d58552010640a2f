"""YAML in, always through a safe loader: libyaml's C SafeLoader when PyYAML has it (the rule pack loads
~5x faster, in every process that starts), else the pure-Python SafeLoader. Never the full loader.

Files that come from users (rules, suppressions) are read without anchors and aliases: an alias bomb
("billion laughs") is a few lines of YAML that expand into a tree no process can walk. The bundled
reference data may use aliases (the lexicon shares context-word lists that way).
"""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, aliases: bool = False):
    """Plain data (dicts, lists, strings, numbers) from YAML text; raises yaml.YAMLError on bad YAML, and on
    an alias (`*name`) unless `aliases` is true."""
    if aliases:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - SAFE_LOADER is a SafeLoader
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _refuse_aliases(root: yaml.Node) -> None:
    """An alias makes the composed graph reach one node twice: refuse it before anything is built."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.YAMLError(f"aliases are not allowed (line {node.start_mark.line + 1})")
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(x for pair in node.value for x in pair)
