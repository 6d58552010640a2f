"""`screener batch` as a library: a job description, worker processes, scoring in chunks, streamed in order.

Light on purpose: importing `screener.batch.workers` or `screener.batch.job` loads neither polars nor the
screener, so the command line can start its worker processes first (see screener/cli/batch.py).
"""
