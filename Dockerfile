FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

# WeasyPrint (the PDF report) draws text with Pango and HarfBuzz; DejaVu is the PDF's font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Exactly the locked runtime versions; --require-hashes refuses anything unpinned or altered.
COPY requirements/pip.txt requirements/lock.txt requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/pip.txt \
    && pip install --no-cache-dir --require-hashes -r requirements/lock.txt
COPY . .
# Static files are collected at build time; whitenoise serves them.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --no-input

RUN useradd --create-home app
USER app
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && gunicorn inspection.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
