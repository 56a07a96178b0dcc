"""Loading a framework file as a person does it, by `manage.py load_framework` or the admin
upload: one service that checks the whole file, writes it, and records it, in one transaction.

(`loader.load_shipped`, run after migrate, loads the shipped files without this record: they are
part of the release, not anyone's change.)
"""

import logging

from django.db import transaction

from inspection.models import Framework

from . import audit as framework_audit
from . import loader

logger = logging.getLogger(__name__)


def counts(data: dict) -> dict[str, int]:
    """How many domains, standards, key questions, prompts and items a (checked) file holds."""
    domains = data["domains"]
    standards = [s for d in domains for s in d["standards"]]
    key_questions = [q for s in standards for q in s.get("key_questions", [])]
    return {
        "domains": len(domains),
        "standards": len(standards),
        "key questions": len(key_questions),
        "prompts": sum(len(q.get("prompts", [])) for q in key_questions),
        "items": sum(len(g["items"]) for g in data.get("item_groups", [])),
        **({"evidence questions": len(data["evidence"])} if data.get("evidence") else {}),
    }


def describe(data: dict) -> str:
    """'3 domains, 10 standards, 14 key questions, 55 prompts, 10 items'."""
    return ", ".join(f"{number} {what}" for what, number in counts(data).items())


@transaction.atomic
def load_file(data, *, by, file_name: str) -> Framework:
    """Check and load a framework file's data, and record who loaded what from where; or raise
    loader.FrameworkFileError listing every problem, with nothing written."""
    framework = loader.load_framework(data)
    description = f"Loaded from the file {file_name}: {describe(data)}"
    entries = framework_audit.record_loaded(framework, description, by)
    logger.info(
        "Framework %s version %s loaded from %s by %s (%s); recorded in %s inspection trails",
        framework.code,
        framework.version,
        file_name,
        by.get_username() if by is not None else "the command line",
        describe(data),
        entries,
    )
    return framework
