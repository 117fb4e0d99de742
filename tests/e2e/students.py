"""A class of students in headless Chromium: each in its own browser context opens Predict, all
upload their own photo at the same moment, and each answer is timed and checked for cross-talk
(a page naming another student's file). Shared by the e2e test and bench/classroom.py."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageOps

from models.prediction.samples import SAMPLES, sample_image
from tests.e2e.harness import APP_IDLE, CHROMIUM, CHROMIUM_ARGS

UPLOADER = "[data-testid='stFileUploaderDropzoneInput']"
TIMEOUT_MS = 300_000
VIEWPORT = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Answer:
    """What one student saw: seconds from upload to the finished answer, the file names the page
    shows a top-1 for, and the error, if any."""

    student: int
    seconds: float | None
    shown: tuple[str, ...]
    error: str | None

    @property
    def cross_talk(self) -> bool:
        """The page shows a result for a file that is not this student's."""
        return any(name != photo_name(self.student) for name in self.shown)


def photo_name(student: int) -> str:
    return f"student_{student:02d}.png"


def write_photos(folder: Path, students: int) -> list[Path]:
    """A different photo per student: the sample photos, mirrored, rotated and resized in turn."""
    names, paths = list(SAMPLES), []
    for student in range(students):
        image = sample_image(names[student % len(names)]).resize((256 + 8 * student, 256))
        if (student // len(names)) % 2:
            image = ImageOps.mirror(image)
        image = image.rotate(15 * (student // (2 * len(names))), expand=True)
        path = folder / photo_name(student)
        image.save(path)
        paths.append(path)
    return paths


# Watches the page from inside (the watching costs the page next to nothing: it runs when the page
# changes, not on every frame as Playwright's own waiting does, nor every 100 ms as its polling does
# in all the class's pages at once) and notes, on the page's clock, when the uploader lists the file
# and when the answer is on screen with the script run ended; `window.__answered` resolves then.
_WATCH = """name => {
  const app = document.querySelector('[data-testid="stApp"]');
  const seen = window.__answer = {began: performance.now(), listed: null, answered: null};
  let answered;
  window.__answered = new Promise(resolve => { answered = resolve; });
  const look = () => {
    const text = app.textContent;
    if (seen.listed === null && text.includes(name)) seen.listed = performance.now();
    if (seen.listed !== null && text.includes('top-1:') && app.getAttribute('data-test-script-state') === 'notRunning') {
      seen.answered = performance.now();
      watch.disconnect();
      answered(seen);
    }
  };
  const watch = new MutationObserver(look);
  watch.observe(app, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
}"""


async def _student(context, url: str, photo: Path, student: int, start: asyncio.Event, opened: list) -> Answer:
    """One student in their own browser `context` (the caller closes it: a student keeps the page
    open, so a class's browsers close after every answer is in, not in the middle of the others')."""
    try:
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        await page.goto(url)
        await page.wait_for_selector(APP_IDLE)
        await page.wait_for_selector(UPLOADER, state="attached")
        await page.wait_for_load_state("networkidle")  # done loading: the page a student sees as ready
        opened.append(student)
        await start.wait()
        await page.evaluate(_WATCH, photo.name)
        await page.locator(UPLOADER).first.set_input_files(str(photo))
        try:
            seen = await asyncio.wait_for(page.evaluate("window.__answered"), TIMEOUT_MS / 1000)
        except TimeoutError:  # asyncio's says nothing: say which step never came
            if await page.evaluate("window.__answer.listed") is None:
                return Answer(student, None, (), f"the upload was never listed by the uploader ({TIMEOUT_MS // 1000} s)")
            return Answer(student, None, (), f"no answer within {TIMEOUT_MS // 1000} s of the upload")
        texts = await page.get_by_text("— top-1:").all_inner_texts()
        return Answer(student, (seen["answered"] - seen["began"]) / 1000,
                      tuple(t.split(" — ")[0].strip("* ") for t in texts), None)
    except Exception as error:  # noqa: BLE001 — a student's failure is a figure of the bench, not a crash
        return Answer(student, None, (), f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}")


async def _class(url: str, photos: list[Path], at_start: Callable[[], None],
                 at_end: Callable[[], None]) -> tuple[list[Answer], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        start, opened = asyncio.Event(), []
        contexts = [await browser.new_context(viewport=VIEWPORT) for _ in photos]
        tasks = [asyncio.create_task(_student(context, url, photo, i, start, opened))
                 for i, (context, photo) in enumerate(zip(contexts, photos))]
        began = time.perf_counter()
        while len(opened) < len(photos) and not all(t.done() for t in tasks):
            await asyncio.sleep(0.1)
        opening = time.perf_counter() - began
        await _settle()
        at_start()
        start.set()
        answers = await asyncio.gather(*tasks)
        at_end()
        for context in contexts:
            await context.close()
        await browser.close()
    return list(answers), opening


async def _sequence(url: str, photo: Path, sessions: int, after_each: Callable[[int, Answer], None]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        start = asyncio.Event()
        start.set()
        for session in range(sessions):
            context = await browser.new_context(viewport=VIEWPORT)
            answer = await _student(context, url, photo, 0, start, [])
            await context.close()
            after_each(session, answer)
        await browser.close()


async def _settle(quiet_share: float = 0.1, step_s: float = 0.5, limit_s: float = 60) -> None:
    """Wait until this process's browsers use less than `quiet_share` of a core over `step_s` (at
    most `limit_s`): pages still drawing when the class uploads would bill their loading to the
    answers, where a lecture's students upload into pages long since idle."""
    def busy() -> float:
        return sum(cpu_seconds(pid) for pid in descendants(os.getpid()) if _is_chromium(pid))

    waited, last = 0.0, busy()
    while waited < limit_s:
        await asyncio.sleep(step_s)
        waited += step_s
        now = busy()
        if now - last < quiet_share * step_s:
            return
        last = now


def run_class(url: str, photos: list[Path], at_start: Callable[[], None] = lambda: None,
              at_end: Callable[[], None] = lambda: None) -> tuple[list[Answer], float]:
    """Every student's answer, and the seconds it took to open all their pages; once they are idle,
    `at_start` runs just before the class uploads, `at_end` once every answer is in. The class runs
    on a thread of its own: its event loop must not meet a sync Playwright loop another test left running."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _class(url, photos, at_start, at_end)).result()


def run_sessions(url: str, photo: Path, sessions: int, after_each: Callable[[int, Answer], None]) -> None:
    """Sessions one after another, each its own browser context (opened, one upload, closed), in one
    browser; `after_each(number, answer)` hears each as it closes."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _sequence(url, photo, sessions, after_each)).result()


def server_pid(port: int) -> int | None:
    """The process serving `port` (the streamlit child the harness started), read from /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(argv) and str(port).encode() in argv:
                return int(entry.name)
    return None


def rss_bytes(pid: int) -> int:
    """A process's resident memory now, 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def process_kind(pid: int) -> str | None:
    """What a bench process is: a Chromium process by its `--type` ("renderer", "gpu-process",
    "utility", "zygote"; "browser" for the main one), "other" for the rest (Playwright's driver,
    Chromium's crash handler), None once it is gone."""
    try:  # Chromium's children rewrite theirs as one line: split on blanks as well as NULs
        command = (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    except OSError:
        return None
    if Path(command.split(" ", 1)[0]).name != Path(CHROMIUM).name:
        return "other"
    kind = re.search(r"--type=(\S+)", command)
    return kind.group(1) if kind else "browser"


def _is_chromium(pid: int) -> bool:
    return process_kind(pid) not in (None, "other")


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user and system), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (e.g. this bench's browsers, not another job's), read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except OSError:
                continue
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
