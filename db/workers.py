"""spaCy worker processes for ingest: extraction in N processes, a dead worker noticed at once.

Each worker is a process of its own (started with `spawn`: nothing inherited but what it is
given) that loads the spaCy model once and turns batches of (text, date) into compact
`Extraction`s (mentions, relations, new actors) with one call into db/extract,
`Extractor.extract_many`. The parent reads files and writes the store; it never holds a Doc.

Every worker has its own pair of one-way pipes (tasks in, results out), so nothing is shared
between workers that a killed one could leave locked or half written. A worker reads its task
pipe in a thread of its own, so the parent can always hand it the next batch while it sends the
last one back (no pipe can fill up in both directions at once). The parent waits on every
worker's result pipe and on its process sentinel together (`multiprocessing.connection.wait`):

- A worker that dies (SIGKILL, the kernel's out-of-memory killer, a crash in native code) is
  noticed as soon as it is gone. `notice` hears one line naming it (process id, signal) and how
  many documents it had not returned; those go to a fresh worker, in the same batches; the run
  goes on. That happens once per run: a second death raises `WorkerLost` and the pool stops.
- Results come back one message per batch, whole or not at all, and each document's result is
  handed out once, in the order the documents came in (so the store is written in the same order
  as by one process, and equals a clean run).
- A model that cannot be loaded is one `DprkError` naming it, before any document is handed out.
- An article that makes spaCy raise fails alone (the batch is redone one document at a time).

Workers ignore SIGINT (ctrl+c reaches the whole process group; the parent decides) and end when
their task pipe closes, so a parent that dies leaves no worker behind beyond its current batch.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
from contextlib import suppress
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from dprk_tui.db.clean import printable_name
from dprk_tui.db.errors import DprkError

if TYPE_CHECKING:
    from dprk_tui.db.extract.dictionary import Dictionary
    from dprk_tui.db.extract.model import Extraction
    from dprk_tui.db.extract.pipeline import Extractor

BATCH_SIZE = 32
"""Documents per batch: one message each way, one `extract_many` call in the worker."""
DEPTH = 2
"""Batches a worker holds at once: it starts the next while the parent writes the last."""
RESTARTS = 1
"""Worker deaths a run survives; the next one stops it."""
_SPAWN = multiprocessing.get_context("spawn")
_POLL_SECONDS = 5.0


class WorkerLost(DprkError):
    """A worker died after the run had already replaced one: the run stops (message says which)."""


@dataclass(frozen=True)
class Outcome:
    """What came back for one document: an Extraction, or the one-line reason it failed."""

    key: Any
    extraction: Extraction | None
    error: str | None = None


def one_line(exc: BaseException) -> str:
    """An exception as one short printable line."""
    lines = str(exc).strip().splitlines()
    return printable_name(f"{type(exc).__name__}: {lines[0] if lines else ''}")[:200]


def extract_batch(
    extractor: Extractor, jobs: list[tuple[int, str, str | None]]
) -> list[tuple[int, Extraction | None, str | None]]:
    """(seq, text, date) in, (seq, extraction or None, error or None) out, in order. One
    `extract_many` call; if spaCy raises on some article, the batch is redone one document at a
    time so that only the culprit fails."""
    try:
        found = list(extractor.extract_many([(text, date) for _, text, date in jobs], batch_size=len(jobs)))
        return [(seq, extraction, None) for (seq, _, _), extraction in zip(jobs, found, strict=True)]
    except Exception:  # noqa: BLE001 - some article broke the batch: find it
        results: list[tuple[int, Extraction | None, str | None]] = []
        for seq, text, date in jobs:
            try:
                results.append((seq, extractor.extract(text, date), None))
            except Exception as exc:  # noqa: BLE001 - that article fails alone
                results.append((seq, None, f"could not be processed: {one_line(exc)}"))
        return results


# -- the worker process ---------------------------------------------------------------------------
def _read_tasks(tasks: Connection, inbox: queue.SimpleQueue) -> None:
    """Move batches from the task pipe to `inbox`; None when the parent closes it or is gone."""
    try:
        while (batch := tasks.recv()) is not None:
            inbox.put(batch)
    except (EOFError, OSError):
        pass
    inbox.put(None)


def _work(tasks: Connection, results: Connection, model: str | None, dictionary: Dictionary) -> None:
    """A worker's life: load the model once, then extract batches until told to stop. Whatever
    goes wrong is one line for the parent (never a traceback on the user's terminal)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _serve(tasks, results, model, dictionary)
    except (OSError, EOFError):  # the parent is gone
        pass
    except Exception as exc:  # noqa: BLE001 - said once by the parent
        message = str(exc) if isinstance(exc, DprkError) else f"a spaCy worker failed: {one_line(exc)}"
        with suppress(OSError):
            results.send(("fatal", message))


def _serve(tasks: Connection, results: Connection, model: str | None, dictionary: Dictionary) -> None:
    from dprk_tui.db.extract.pipeline import Extractor

    extractor = Extractor(model, dictionary)
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read_tasks, args=(tasks, inbox), daemon=True).start()
    info = extractor.info
    results.send(("ready", {"model": info.name, "model_version": info.version, "spacy_version": info.spacy_version}))
    while (batch := inbox.get()) is not None:
        number, jobs = batch
        results.send(("done", number, extract_batch(extractor, jobs)))


# -- the parent's side ----------------------------------------------------------------------------
class _Worker:
    """One worker process, its pipes, and the batches it holds (sent, not yet returned)."""

    def __init__(self, number: int, model: str | None, dictionary: Dictionary) -> None:
        task_end, self.tasks = _SPAWN.Pipe(duplex=False)
        self.results, result_end = _SPAWN.Pipe(duplex=False)
        self.process = _SPAWN.Process(
            target=_work, args=(task_end, result_end, model, dictionary),
            name=f"dprk-tui spaCy worker {number}", daemon=True,
        )
        self.process.start()
        task_end.close()  # the child has its own copies: EOF reaches either side when the other ends
        result_end.close()
        self.ready = False
        self.closed = False
        self.held: dict[int, list[tuple[int, str, str | None]]] = {}

    def send(self, number: int, jobs: list[tuple[int, str, str | None]]) -> None:
        self.held[number] = jobs
        try:
            self.tasks.send((number, jobs))
        except OSError:  # it died: its sentinel says so next, and `held` goes to a fresh worker
            pass

    def how_it_ended(self) -> str:
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}" if code else "ended unasked"

    def stop(self, *, wait_seconds: float) -> None:
        """Close its pipes and make sure the process is gone (terminated, then killed)."""
        for end in (self.tasks, self.results):
            try:
                end.close()
            except OSError:
                pass
        self.process.join(wait_seconds)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class _Feed:
    """The items not handed out yet, numbered in order, read a batch at a time."""

    def __init__(self, source: Iterator[tuple[Any, str, str | None]], batch_size: int, window: int) -> None:
        self.source = source
        self.batch_size = batch_size
        self.window = window
        self.keys: dict[int, Any] = {}
        self.issued = self.batches = 0
        self.exhausted = False

    def next_batch(self, handed: int) -> list[tuple[int, str, str | None]]:
        """The next batch of (seq, text, date); empty when the items are all out, or when
        `window` items are out and not yet handed back (one slow document holds up the order)."""
        jobs: list[tuple[int, str, str | None]] = []
        if self.exhausted or self.issued - handed >= self.window:
            return jobs
        for key, text, date in self.source:
            self.keys[self.issued] = key
            jobs.append((self.issued, text, date))
            self.issued += 1
            if len(jobs) == self.batch_size:
                break
        else:
            self.exhausted = True
        if jobs:
            self.batches += 1
        return jobs


class ExtractionPool:
    """`workers` spaCy processes; `extract` maps (key, text, date) items to Outcomes in order."""

    def __init__(
        self,
        workers: int,
        model: str | None,
        dictionary: Dictionary,
        *,
        notice: Callable[[str], None] | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.size = max(1, workers)
        self.model = model
        self.dictionary = dictionary
        self.notice = notice or (lambda line: None)
        self.batch_size = batch_size
        self.deaths = 0
        self.info: dict[str, str] | None = None
        self._workers: list[_Worker] = []
        self._started = 0
        self._resend: dict[_Worker, list[tuple[int, list[tuple[int, str, str | None]]]]] = {}
        self._returned: dict[int, tuple[Extraction | None, str | None]] = {}

    # -- life cycle ----------------------------------------------------------------------------
    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(graceful=kind is None)

    def _start_worker(self) -> _Worker:
        self._started += 1
        worker = _Worker(self._started, self.model, self.dictionary)
        self._workers.append(worker)
        return worker

    def start(self) -> None:
        """Start the workers (they load the model meanwhile)."""
        for _ in range(self.size):
            self._start_worker()

    def model_info(self) -> dict[str, str]:
        """The model's name and versions (store metadata), once a worker has loaded it."""
        while self.info is None:
            self._wait(_POLL_SECONDS)
        return self.info

    def wait_loaded(self) -> None:
        """Wait until every worker has loaded the model (a benchmark times start-up with it)."""
        while not all(worker.ready for worker in self._workers):
            self._wait(_POLL_SECONDS)

    def close(self, *, graceful: bool = True) -> None:
        """Stop every worker: idle ones end on their own when their task pipe closes."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop(wait_seconds=10 if graceful else 0.5)

    @property
    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self._workers if worker.process.pid is not None]

    # -- the work ------------------------------------------------------------------------------
    def extract(self, items: Iterable[tuple[Any, str, str | None]]) -> Iterator[Outcome]:
        """One Outcome per (key, text, date) item, in the items' order. Items are read lazily:
        at most a few batches per worker are in flight, so memory stays bounded."""
        if self._returned or self._resend or any(worker.held for worker in self._workers):
            raise RuntimeError("this pool still holds the documents of a run that was left unfinished")
        feed = _Feed(iter(items), self.batch_size, window=self.size * DEPTH * self.batch_size * 2)
        handed = 0
        while True:
            self._top_up(feed, handed)
            while handed in self._returned:
                extraction, error = self._returned.pop(handed)
                yield Outcome(feed.keys.pop(handed), extraction, error)
                handed += 1
                self._wait(0)  # take in what came while that was written, and hand out more:
                self._top_up(feed, handed)  # no worker waits on a full pipe or an empty queue
            if feed.exhausted and handed == feed.issued:
                return
            self._wait(_POLL_SECONDS)

    def _top_up(self, feed: _Feed, handed: int) -> None:
        """Give every ready worker what a dead one left it, then batches until it holds DEPTH."""
        for worker in self._workers:
            if not worker.ready:
                continue
            for number, jobs in self._resend.pop(worker, []):
                worker.send(number, jobs)
            while len(worker.held) < DEPTH and (jobs := feed.next_batch(handed)):
                worker.send(feed.batches, jobs)

    def _wait(self, timeout: float) -> None:
        """Wait up to `timeout` s for a message or a death; take in what came."""
        by_pipe = {worker.results: worker for worker in self._workers if not worker.closed}
        by_sentinel = {worker.process.sentinel: worker for worker in self._workers}
        for ready in wait([*by_pipe, *by_sentinel], timeout=timeout):
            worker = by_pipe.get(ready)  # type: ignore[arg-type]
            if worker is not None and worker in self._workers:
                self._receive(worker)
        for ready in wait(list(by_sentinel), timeout=0):
            worker = by_sentinel[ready]  # type: ignore[index]
            if worker in self._workers:
                self._lost(worker)
        for worker in [w for w in self._workers if w.closed and w.process.is_alive()]:
            worker.process.join(_POLL_SECONDS)  # its pipe ended: its death follows at once
            if worker.process.is_alive():
                worker.process.kill()

    def _receive(self, worker: _Worker) -> None:
        try:
            message = worker.results.recv()
        except (EOFError, OSError):  # it died (maybe mid-message): the sentinel tells the rest
            worker.closed = True
            return
        if message[0] == "ready":
            worker.ready = True
            self.info = self.info or message[1]
        elif message[0] == "fatal":
            raise DprkError(message[1])
        elif message[0] == "done":
            worker.held.pop(message[1], None)
            for seq, extraction, error in message[2]:
                self._returned[seq] = (extraction, error)

    def _lost(self, worker: _Worker) -> None:
        """A worker ended: take what it had sent, then redo what it held in a fresh worker."""
        while not worker.closed and worker.results.poll(0):
            self._receive(worker)
        worker.process.join()
        self._workers.remove(worker)
        undone = self._resend.pop(worker, []) + list(worker.held.items())
        documents = sum(len(jobs) for _, jobs in undone)
        worker.stop(wait_seconds=0)
        self.deaths += 1
        what = f"spaCy worker process {worker.process.pid} died ({worker.how_it_ended()})"
        if self.deaths > RESTARTS:
            raise WorkerLost(f"{what}, the second worker lost this run")
        fresh = self._start_worker()
        self._resend[fresh] = undone
        self.notice(
            f"{what}; its {documents} unfinished documents go to a fresh worker (process {fresh.process.pid})"
            if documents else f"{what} holding no documents; a fresh worker (process {fresh.process.pid}) takes its place"
        )


class InProcess:
    """The pool's interface over an Extractor already loaded in this process (tests, benchmarks)."""

    def __init__(self, extractor: Extractor, batch_size: int = BATCH_SIZE) -> None:
        self.extractor = extractor
        self.batch_size = batch_size

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def start(self) -> None:
        pass

    def model_info(self) -> dict[str, str]:
        info = self.extractor.info
        return {"model": info.name, "model_version": info.version, "spacy_version": info.spacy_version}

    def extract(self, items: Iterable[tuple[Any, str, str | None]]) -> Iterator[Outcome]:
        source = iter(items)
        while chunk := list(islice(source, self.batch_size)):
            jobs = [(seq, text, date) for seq, (_, text, date) in enumerate(chunk)]
            for (key, _, _), (_, extraction, error) in zip(chunk, extract_batch(self.extractor, jobs), strict=True):
                yield Outcome(key, extraction, error)
