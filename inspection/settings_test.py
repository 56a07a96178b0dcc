"""Test settings: the real settings with test-friendly static storage and fast hashing.

The database still comes from DATABASE_URL, so CI runs the suite against PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from inspection.settings import *  # noqa: E402,F403

# Whitenoise's manifest storage makes the live server 404 on static files.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["*"]
# Serve static files straight from the source folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# On PostgreSQL, the backend whose flush between transactional tests may TRUNCATE the tables the
# database guards against it (inspection/test_database); production settings never name it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "inspection.test_database"  # noqa: F405
# Each publication would render its PDF after committing (seconds each, in every transactional
# and browser test that publishes); the first download renders it instead, as tests download.
# tests/test_published_pdf.py turns it on to test rendering at publication.
PUBLISHED_PDF_AT_PUBLICATION = False
