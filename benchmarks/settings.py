"""Production settings for benchmarks: the app's own settings, read from the environment.

Only the collected-static directory moves (to BENCHMARK_STATIC_ROOT, a temporary folder), so the
benchmarks can run whitenoise's manifest storage exactly as production does without writing into
the project. Everything else (DEBUG off, secure cookies, middleware, database) is as deployed.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "b" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

from inspection.settings import *  # noqa: E402,F403

STATIC_ROOT = Path(
    os.environ.get(
        "BENCHMARK_STATIC_ROOT", Path(tempfile.gettempdir()) / "case-inspection-bench-static"
    )
)
