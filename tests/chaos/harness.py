"""The two-worker chaos run of issue 12: real `celery worker` processes over Redis against the test
database, a slow loopback provider counting calls per item, and a seeded schedule of SIGKILLs.

While the kills go on, the harness keeps work open: AI runs started through the service (fresh ids
each, several items each) and automation executions (a rule with generate_content, one AI run per
task, on a site of its own so no execution picks another's tasks). Each kill lands on a worker that
has a task in hand, alternating AI runs and executions, at a seeded moment; a replacement worker
is started at once. The stale sweeps run every `sweep_every` seconds as beat would. Then the open
work drains, the workers stop, and the caller checks the books (tests/chaos/test_two_workers.py).

Used by the test (bounded: 10 kills) and by bench/chaos.py (long: more kills, any seed); the knobs
come from Plan, which reads CHAOS_* environment variables for the bench."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from igny8.accounts.models import Account, Site
from igny8.ai import services as ai_services
from igny8.ai.models import TERMINAL, AIRun
from igny8.automation import services as automation_services
from igny8.automation.models import FINISHED, ScheduledTask
from igny8.writer.models import Task

ROOT = Path(__file__).resolve().parents[2]
AI_TASK = "igny8.ai.tasks.run_ai_task"
EXECUTION_TASK = "igny8.automation.tasks.execute_scheduled_task"
STANDBY = "chaos-standby"  # the spare worker's queue: nothing is ever sent to it
RECEIVED = re.compile(r"Task ([\w.]+)\[([\w-]+)\] received")
ENDED = re.compile(r"Task [\w.]+\[([\w-]+)\] (?:succeeded|failed|raised)")


@dataclass
class Plan:
    seed: int = 1212
    kills: int = 10
    provider_seconds: float = 0.3
    ai_items: int = 5  # items per AI run (the test function takes at most 5)
    tasks_per_execution: int = 3
    open_ai_runs: int = 2  # kept open while the kills go on
    open_executions: int = 2
    stale_seconds: int = 4  # AI runs and executions alike; the workers beat every 0.5 s
    # As beat: its minute is half the automation sweep's 120 s. Sweeping far more often than that
    # floods the queue with the automation sweep's kicks of waiting executions (one each sweep).
    sweep_every: float = 2.0
    kill_after: tuple[float, float] = (0.2, 2.0)  # seconds after the victim took its task
    drain_seconds: float = 180.0

    @classmethod
    def from_env(cls) -> Plan:
        """CHAOS_SEED, CHAOS_KILLS, CHAOS_PROVIDER_SECONDS, CHAOS_OPEN_AI_RUNS, ... (bench/chaos.py)."""
        plan = cls()
        for name, value in vars(cls()).items():
            given = os.environ.get(f"CHAOS_{name.upper()}")
            if given and isinstance(value, int | float):
                setattr(plan, name, type(value)(given))
        return plan


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def ready(self) -> bool:
        return " ready." in self.text()

    def in_hand(self) -> str | None:
        """The task this worker received and has not finished ("ai run", "execution"), if any."""
        text = self.text()
        ended = set(ENDED.findall(text))
        held = [name for name, task_id in RECEIVED.findall(text) if task_id not in ended]
        if not held:
            return None
        return "execution" if held[-1] == EXECUTION_TASK else "ai run" if held[-1] == AI_TASK else held[-1]


@dataclass
class Figures:
    seed: int = 0
    kills: list[str] = field(default_factory=list)  # what each killed worker had in hand
    kill_at: list[float] = field(default_factory=list)  # seconds from the start
    ai_runs: int = 0
    executions: int = 0
    ai_requeued: int = 0
    executions_requeued: int = 0
    workers_started: int = 0
    kill_seconds: float = 0.0
    drain_seconds: float = 0.0
    drained: bool = False


class Chaos:
    def __init__(self, *, plan: Plan, account: Account, env: dict, logs: Path, control):
        self.plan, self.account, self.env, self.logs = plan, account, env, logs
        self.control = control  # a Celery app's control over the workers' broker
        self.spare: Worker | None = None
        self.rng = random.Random(plan.seed)
        self.workers: list[Worker] = []
        self.figures = Figures(seed=plan.seed)
        self.next_id = 1
        self.last_sweep = 0.0
        self.started = 0.0

    # -- workers ---------------------------------------------------------------------------------
    def start_worker(self, *, queue: str = "celery") -> Worker:
        self.figures.workers_started += 1
        name = f"w{self.figures.workers_started}"
        log = self.logs / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "tests.chaos.worker_app", "worker", "--pool=solo",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue,
            "--loglevel=INFO", f"--hostname={name}@chaos",
        ]  # fmt: skip
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        return Worker(name, process, log)

    def replace(self) -> None:
        """The replacement for a killed worker. A worker takes seconds to boot (Django, the app), so
        a spare boots ahead on a queue nobody sends to and, once ready, is told to consume the work
        queue (Celery's remote control); a spare not ready yet is left booting and a fresh worker
        starts instead. Either way two workers take work, never more."""
        spare, self.spare = self.spare, None
        if spare is not None and spare.ready():
            answer = self.control.add_consumer("celery", destination=[f"{spare.name}@chaos"], reply=True)
            if answer:
                self.workers.append(spare)
                self.spare = self.start_worker(queue=STANDBY)
                return
        self.workers.append(self.start_worker())
        self.spare = spare or self.start_worker(queue=STANDBY)

    def stop_workers(self) -> None:
        everyone = [*self.workers, *([self.spare] if self.spare else [])]
        for worker in everyone:
            if worker.process.poll() is None:
                worker.process.terminate()
        for worker in everyone:
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()

    # -- work --------------------------------------------------------------------------------------
    def start_ai_run(self) -> None:
        ids = list(range(self.next_id, self.next_id + self.plan.ai_items))
        self.next_id += self.plan.ai_items
        ai_services.run_start(account=self.account, function_name="test_per_item", payload={"ids": ids})
        self.figures.ai_runs += 1

    def start_execution(self) -> None:
        number = self.figures.executions + 1
        site = Site.objects.create(account=self.account, name=f"Chaos {number}", url="https://example.com")
        for item in range(self.plan.tasks_per_execution):
            Task.objects.create(account=self.account, site=site, title=f"Chaos {number}.{item}")
        rule = automation_services.rule_create(
            account=self.account,
            site=site,
            name=f"Write {number}",
            actions=[{"type": "generate_content", "params": {"batch_size": 1}}],
        )
        automation_services.rule_execute(rule=rule)
        self.figures.executions += 1

    def supply(self) -> None:
        """Keeps the planned number of AI runs and executions open (started, not ended)."""
        open_runs = AIRun.objects.filter(function_name="test_per_item").exclude(status__in=TERMINAL).count()
        for _ in range(self.plan.open_ai_runs - open_runs):
            self.start_ai_run()
        open_executions = ScheduledTask.objects.exclude(status__in=FINISHED).count()
        for _ in range(self.plan.open_executions - open_executions):
            self.start_execution()

    def open_work(self) -> int:
        return (
            AIRun.objects.exclude(status__in=TERMINAL).count()
            + ScheduledTask.objects.exclude(status__in=FINISHED).count()
        )

    def sweep(self, *, force: bool = False) -> None:
        """What beat does: the AI sweep and the automation sweep."""
        if not force and time.monotonic() - self.last_sweep < self.plan.sweep_every:
            return
        self.last_sweep = time.monotonic()
        self.figures.ai_requeued += ai_services.runs_sweep()["requeued"]
        self.figures.executions_requeued += automation_services.sweep()["requeued"]

    def pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.sweep()
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    # -- the schedule ------------------------------------------------------------------------------
    def victim(self, wanted: str, *, since: float) -> Worker | None:
        """A ready worker holding a task of the wanted kind (any kind after 5 s of waiting)."""
        alive = [w for w in self.workers if w.process.poll() is None]
        holding = {w.name: w.in_hand() for w in alive}
        if time.monotonic() - since < 5:
            chosen = [w for w in alive if holding[w.name] == wanted]
        else:
            chosen = [w for w in alive if holding[w.name] in ("ai run", "execution")]
        return self.rng.choice(chosen) if chosen else None

    def kill(self, worker: Worker) -> None:
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
        self.figures.kills.append(worker.in_hand() or "between tasks")
        self.figures.kill_at.append(round(time.monotonic() - self.started, 1))
        self.workers.remove(worker)
        self.replace()

    def run(self) -> Figures:
        self.started = started = time.monotonic()
        self.workers = [self.start_worker(), self.start_worker()]
        self.spare = self.start_worker(queue=STANDBY)
        try:
            while len(self.figures.kills) < self.plan.kills:
                wanted = ("ai run", "execution")[len(self.figures.kills) % 2]
                since = time.monotonic()
                worker = None
                while worker is None:
                    self.supply()
                    self.pause(0.1)
                    worker = self.victim(wanted, since=since)
                    if time.monotonic() - since > 120:
                        raise AssertionError(f"no worker took a task in 120 s: {self.logs_tail()}")
                self.pause(self.rng.uniform(*self.plan.kill_after))
                self.kill(worker)
            self.figures.kill_seconds = round(time.monotonic() - started, 1)
            drain_started = time.monotonic()
            while self.open_work() and time.monotonic() - drain_started < self.plan.drain_seconds:
                self.pause(0.2)
            self.figures.drained = not self.open_work()
            self.figures.drain_seconds = round(time.monotonic() - drain_started, 1)
        finally:
            self.stop_workers()
        return self.figures

    def logs_tail(self) -> str:
        return "\n".join(f"-- {w.name}\n{w.text()[-2000:]}" for w in self.workers)
