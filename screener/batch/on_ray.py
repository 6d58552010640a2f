"""`screener batch --engine ray`: the same scorer on Ray Data, for files that outgrow one machine.

Ray Data reads the files (Parquet, CSV, JSONL), an actor pool scores them with `map_batches` (`ScoreActor`:
one `TableScorer` per actor, Arrow batches in and out, no pandas), and the rows are written as Parquet:

- a folder (`--output out/`): one file per block, `part-NNNNN.parquet`, in input order by name, written by Ray's
  workers into a temporary folder beside the target that replaces it only when every row is written;
- one file (`--output out.parquet`): the blocks stream, in order, through this process into one file, written
  like every batch output (screener.outputs: a temporary file renamed onto the target at the end).

Row order is kept (Ray's `preserve_order`), so rows of one file stay in order and files follow one another.
Everything that can fail on the driver (inputs, columns, store, rules) fails before Ray starts, with one line.
The store and rules reach the actors by value (packed into Ray's object store: no shared path needed) or by
path (`--store-by path`: every node reads the same paths). Ray retries the tasks of an actor that dies on a
restarted actor; each output block is written once, under a name fixed by its task, so nothing is lost or
written twice.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from screener.batch.job import BatchJob
from screener.errors import InputError

RAY_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
STORE_BY = ("value", "path")
PART = "part-{task:05d}.parquet"


@dataclass
class RayPlan:
    """A checked Ray run: the input files and their format, the job, where the output goes."""

    files: list[Path]
    fmt: str
    job: BatchJob
    output: Path
    single_file: bool
    address: str | None = None
    workers: int | None = None
    store_by: str = "value"
    rows_in: int | None = None           # known for Parquet (its metadata), else counted by nobody
    extra: dict = field(default_factory=dict)


def input_files(inputs: list[str | Path], given_format: str | None = None) -> tuple[list[Path], str]:
    """The files named by `inputs` (files, folders of them, globs), sorted within each input, and their one
    format."""
    files: list[Path] = []
    for item in map(str, inputs):
        path = Path(item)
        if any(c in item for c in "*?["):
            found = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not found:
                raise InputError(f"{item}: no file matches")
        elif path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RAY_FORMATS)
            if not found:
                raise InputError(f"{item}: no Parquet, CSV or JSONL file in this folder")
        elif path.is_file():
            found = [path]
        else:
            raise InputError(f"{item}: no such file or folder")
        files += found
    if given_format:
        if given_format not in set(RAY_FORMATS.values()):
            raise InputError(f"--engine ray reads Parquet, CSV and JSONL, not {given_format}")
        return files, given_format
    formats = {RAY_FORMATS.get(p.suffix.lower()) for p in files}
    if None in formats:
        odd = next(p for p in files if p.suffix.lower() not in RAY_FORMATS)
        raise InputError(f"{odd}: --engine ray reads .parquet, .csv and .jsonl files (or name one with --input-format)")
    if len(formats) > 1:
        raise InputError(f"the inputs mix formats ({', '.join(sorted(formats))}); give one kind at a time")
    return files, formats.pop()


def file_columns(path: Path, fmt: str, delimiter: str = ",") -> list[str]:
    """A file's columns, read from its footer or first line (to check them before any work is sent)."""
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return pq.read_schema(path).names
        with path.open(encoding="utf-8-sig", newline="") as f:
            if fmt == "csv":
                import csv

                return next(csv.reader(f, delimiter=delimiter), [])
            for line in f:
                if line.strip():
                    return list(json.loads(line))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read {fmt}: {(str(exc).splitlines() or [''])[0][:200]}") from exc
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors on a corrupt footer, one line
        raise InputError(f"{path}: cannot read {fmt}: {(str(exc).splitlines() or [''])[0][:200]}") from exc
    return []


def plan(inputs, job: BatchJob, output: Path | None, address: str | None, workers: int | None,
         store_by: str = "value") -> RayPlan:
    """Check the inputs, their columns and the output before Ray starts."""
    from screener.batch.scoring import renamed_inputs

    if output is None or str(output) == "-":
        raise InputError("--engine ray writes Parquet: name an --output folder (or a file ending in .parquet)")
    if job.encoding and job.encoding.lower().replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
        raise InputError("--engine ray reads UTF-8 text files only; convert the input or use the default engine")
    if not job.header:
        raise InputError("--engine ray needs a header row in CSV files")
    files, fmt = input_files(inputs, job.input_format)
    rows_in = 0 if fmt == "parquet" else None
    for path in files:
        columns = file_columns(path, fmt, job.delimiter or ",")
        missing = [c for c in job.required_columns() if c not in columns]
        if missing:
            raise InputError(f"{path}: no column {', '.join(map(repr, missing))} (columns: {', '.join(columns)})")
        renamed_inputs(columns, job)
        if rows_in is not None:
            import pyarrow.parquet as pq

            rows_in += pq.ParquetFile(path).metadata.num_rows
    single = Path(output).suffix.lower() in (".parquet", ".pq")
    _check_output(Path(output), single)
    return RayPlan(files, fmt, job, Path(output), single, address, workers, store_by, rows_in)


def _check_output(output: Path, single: bool) -> None:
    from screener.outputs import check_target

    if single:
        check_target(output)
    elif output.exists() and not output.is_dir():
        raise InputError(f"{output}: is a file; name a folder for the Parquet parts (or a file ending in .parquet)")
    elif output.is_dir() and any(not _is_part(p) for p in output.iterdir()):
        raise InputError(f"{output}: folder holds other files than Parquet parts; name a new or empty folder")


def _is_part(path: Path) -> bool:
    return path.is_file() and path.suffix == ".parquet"


class ScoreActor:
    """One scorer per actor, built when the actor starts: Arrow batches in, Arrow batches out."""

    def __init__(self, job: BatchJob, shipped: list | None = None):
        os.environ.setdefault("POLARS_MAX_THREADS", "1")  # one actor per core already
        from screener.batch.scorer import TableScorer

        if shipped is not None:  # by value: the store and rules from Ray's object store, into a folder of ours
            import ray

            from screener.batch.shipping import unpack

            self.folder = tempfile.mkdtemp(prefix="screener-actor-")
            job = replace(job, screener=unpack(ray.get(shipped[0]), self.folder))
        self.scorer = TableScorer(job)

    def __call__(self, batch):
        """Score one Arrow batch (Ray Data's `map_batches`)."""
        return self.scorer(batch)


class PartsSink:
    """Ray Data sink: each write task writes its blocks, in order, to `part-<task>.parquet` (a retried task
    writes the same name again) and returns its rows, bands and errors."""

    def __new__(cls, folder: str):
        """The sink (a Datasink subclass, defined here so that importing this module does not import Ray)."""
        from ray.data import Datasink

        class _Sink(Datasink):
            def __init__(self, folder: str):
                self.folder = folder

            def write(self, blocks, ctx):
                import pyarrow.parquet as pq
                import pyarrow.compute as pc
                from ray.data.block import BlockAccessor

                name = os.path.join(self.folder, PART.format(task=ctx.task_idx))
                tmp = name + f".{os.getpid()}.tmp"
                writer, counts = None, {"rows": 0, "errors": 0, "bands": {}}
                try:
                    for block in blocks:
                        table = BlockAccessor.for_block(block).to_arrow()
                        if table.num_rows == 0:
                            continue
                        if writer is None:
                            writer = pq.ParquetWriter(tmp, table.schema)
                        writer.write_table(table.cast(writer.schema))
                        counts["rows"] += table.num_rows
                        counts["errors"] += int(pc.sum(pc.not_equal(table["error"], "")).as_py() or 0)
                        for band in table["band"].to_pylist():
                            counts["bands"][band] = counts["bands"].get(band, 0) + 1
                finally:
                    if writer is not None:
                        writer.close()
                if writer is not None:
                    os.replace(tmp, name)
                return counts

            def on_write_complete(self, write_result) -> None:
                self.counts = {"rows": 0, "errors": 0, "bands": {}}
                for part in write_result.write_returns:
                    self.counts["rows"] += part["rows"]
                    self.counts["errors"] += part["errors"]
                    for band, n in part["bands"].items():
                        self.counts["bands"][band] = self.counts["bands"].get(band, 0) + n

            def get_name(self) -> str:
                return "ScreenerParts"

        return _Sink(folder)


def start_ray(address: str | None, workers: int) -> bool:
    """Connect to a cluster, or start a local Ray with `workers` scoring slots and one more for reading and
    writing (no dashboard, quiet logs). False when this process had already started Ray (a test, a notebook):
    it is used as it is, and left running."""
    import logging
    import warnings

    import ray

    if ray.is_initialized():
        return False
    # Ray's notes (token authentication, worker start-up counts, an actor pool with fewer inputs than actors)
    # are for Ray's developers; a batch says one line at the end. Errors still come through.
    warnings.filterwarnings("ignore", module=r"ray(\.|$)")
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    options = dict(include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False,
                   configure_logging=True)
    if address:
        ray.init(address=address, **options)
    else:
        ray.init(num_cpus=workers + 1, **options)
    return True


def run(p: RayPlan, setup, tracker=None, actor=None) -> dict:
    """Score the planned files on Ray and write the output; the rows counted {rows, errors, bands}. A local
    Ray started here is shut down at the end. `actor`: the scoring class (tests put a failing one here)."""
    import ray

    started = start_ray(p.address, p.workers or os.cpu_count() or 1)
    try:
        return _run(p, setup, tracker, actor or ScoreActor)
    except ray.exceptions.RayError as exc:  # a worker's failure (its traceback is in Ray's logs): one line
        cause = getattr(exc, "cause", None) or exc
        raise InputError(f"Ray: {type(cause).__name__}: {(str(cause).strip().splitlines() or [''])[-1][:300]}") \
            from exc
    finally:
        if started:
            ray.shutdown()


def _run(p: RayPlan, setup, tracker, actor) -> dict:
    import logging

    import ray
    from ray.data import ActorPoolStrategy, DataContext

    from screener.batch.shipping import pack

    logging.getLogger("ray.data").setLevel(logging.ERROR)  # (Ray Data sets its own level when imported)

    workers = p.workers or (max(1, int(ray.cluster_resources().get("CPU", 2)) - 1) if p.address
                            else os.cpu_count() or 1)
    ctx = DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    job = p.job
    if p.store_by == "value":
        shipped = [ray.put(pack(job.screener, Path(setup.db_path)))]
    else:
        shipped = None
        spec = job.screener
        job = replace(job, screener=replace(spec, db=str(Path(setup.db_path).resolve()),
                                            rules_dirs=tuple(str(Path(d).resolve()) for d in spec.rules_dirs),
                                            lexicons=tuple(str(Path(x).resolve()) for x in spec.lexicons)))
    ds = _read(p)
    scored = ds.map_batches(actor, fn_constructor_args=(job, shipped), batch_format="pyarrow",
                            batch_size=job.chunk_rows, compute=ActorPoolStrategy(size=workers), num_cpus=1,
                            zero_copy_batch=True)
    if p.single_file:
        return _write_file(scored, p, setup, tracker)
    counts = _write_folder(scored, p, setup)
    if tracker:
        tracker.rows, tracker.errors, tracker.bands = counts["rows"], counts["errors"], counts["bands"]
    return counts


def _read(p: RayPlan):
    import ray

    paths = [str(f.resolve()) for f in p.files]
    if p.fmt == "parquet":
        return ray.data.read_parquet(paths)
    if p.fmt == "csv":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        names = dict.fromkeys(c for f in p.files for c in file_columns(f, "csv", p.job.delimiter or ","))
        # every column a string, as `batch` reads CSV; an empty field is null, as polars reads it
        convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in names}, strings_can_be_null=True,
                                       null_values=[""], quoted_strings_can_be_null=False)
        parse = pacsv.ParseOptions(delimiter=p.job.delimiter or ",", newlines_in_values=True)
        return ray.data.read_csv(paths, convert_options=convert, parse_options=parse)
    return ray.data.read_json(paths, lines=True)


def _write_folder(scored, p: RayPlan, setup) -> dict:
    """Parts written by Ray's workers into a temporary folder beside the target, moved onto it at the end."""
    target = p.output.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".partial", dir=target.parent))
    tmp.chmod(0o777 & ~_umask())
    old = None
    try:
        sink = PartsSink(str(tmp))
        scored.write_datasink(sink)
        counts = sink.counts
        _check_counts(counts, p)
        if target.exists():
            old = target.with_name(f".{target.name}.{os.getpid()}.old.partial")
            os.replace(target, old)
        os.replace(tmp, target)
        _write_sidecar(target, p, setup, counts)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return counts


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_counts(counts: dict, p: RayPlan) -> None:
    if p.rows_in is not None and counts["rows"] != p.rows_in:
        raise InputError(f"Ray returned {counts['rows']:,} rows for {p.rows_in:,} input rows; nothing written")


def _write_file(scored, p: RayPlan, setup, tracker) -> dict:
    """Every block, in order, through this process into one Parquet file (batch's atomic output)."""
    import polars as pl

    from screener.batch.stream import ChunkWriter
    from screener.outputs import open_output

    counts = {"rows": 0, "errors": 0, "bands": {}}
    rows = {}

    def provenance() -> dict:
        return _provenance(p, setup, rows)

    with open_output(p.output) as handle:
        writer = ChunkWriter(handle, "parquet", provenance)
        try:
            for batch in scored.iter_batches(batch_size=None, batch_format="pyarrow"):
                frame = pl.from_arrow(batch, rechunk=False)
                if not frame.height:
                    continue
                writer.write(frame)
                counts["rows"] += frame.height
                counts["errors"] += int((frame["error"].fill_null("") != "").sum())
                for band, n in frame["band"].value_counts().iter_rows():
                    counts["bands"][band] = counts["bands"].get(band, 0) + n
                if tracker:
                    tracker.update(frame)
            if counts["rows"] == 0:
                raise InputError("no rows to score")
            _check_counts(counts, p)
            rows.update({"in": p.rows_in if p.rows_in is not None else counts["rows"], "out": counts["rows"],
                         "errors": counts["errors"]})
        finally:
            writer.close()
    return counts


def _provenance(p: RayPlan, setup, rows: dict) -> dict:
    import ray

    from screener.provenance import run_provenance

    record = run_provenance(setup.versions, setup.db_path, p.job, rows)
    record["input"] = {"paths": [str(f) for f in p.files], "format": p.fmt, "encoding": "utf-8"}
    record["engine"] = {"name": "ray", "version": ray.__version__, "address": p.address,
                        "workers": p.workers, "store_by": p.store_by}
    return record


def _write_sidecar(target: Path, p: RayPlan, setup, counts: dict) -> None:
    from screener.outputs import sidecar_path, write_text

    rows = {"in": p.rows_in if p.rows_in is not None else counts["rows"], "out": counts["rows"],
            "errors": counts["errors"]}
    write_text(sidecar_path(target), json.dumps(_provenance(p, setup, rows), ensure_ascii=False, indent=2))
