# The chat and the API in one image, built from the same package sources as `make run`.
#   docker build -t health-qa .
#   docker run -p 8501:8501 health-qa                                 # the chat (make run)
#   docker run -p 8000:8000 health-qa make api HOST=0.0.0.0            # the HTTP API (make api)
# Bound to 0.0.0.0 the articles are read-only unless RETRIEVAL_ADMIN_TOKEN is set (-e ...).
FROM python:3.11-slim

# First layer: the CPU wheel of torch on its own (any other version pulls gigabytes of CUDA).
RUN python -m venv /app/.venv && /app/.venv/bin/pip install --no-cache-dir torch==2.13.0

RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY --chown=app:app . /app
RUN chown app:app /app && make setup && rm -rf /root/.cache

USER app
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
EXPOSE 8501 8000
CMD ["make", "run", "HOST=0.0.0.0"]
