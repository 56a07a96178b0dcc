"""The case attributes a framework's conditions may name, and the values each may take.

Cases sit above this app, so the cases app tells it what a case has (CasesConfig.ready); the
framework file checks read it from here and never import cases.
"""

_attributes: dict[str, tuple] = {}


def register(attributes: dict[str, tuple]) -> None:
    _attributes.update(attributes)


def known() -> dict[str, tuple]:
    return dict(_attributes)
