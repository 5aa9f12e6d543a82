# The backstride image for compose.yaml (service mode: web app and job workers).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip install --no-cache-dir . && useradd --create-home backstride \
    && mkdir -p /data /uploads && chown backstride /data /uploads
USER backstride
CMD ["backstride", "--help"]
