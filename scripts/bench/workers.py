"""What runs in a fresh process (`python benchmark.py _NAME ...`); each prints one JSON line."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ....scripts.bench.config import CONSULT_DATE, PATIENT
from ....scripts.bench.steps import document_key, final_html


def worker_floor(root: str, out: str) -> dict:
    started = time.perf_counter()
    import weasyprint  # noqa: F401 - its import is what we keep out of the floor

    from decisionaid.output.pdf import render_pdf
    from decisionaid.settings import ContentLayout

    imported = time.perf_counter() - started
    layout = ContentLayout(Path(root))
    files = final_html(Path(out))
    documents = {document_key(p): p.read_text(encoding="utf-8") for p in files}
    render_pdf(next(iter(documents.values())), layout)  # warm-up: fonts, caches
    per_document, pages = {}, 0
    started, cpu = time.perf_counter(), time.process_time()
    for name, document in documents.items():
        began = time.perf_counter()
        pages += render_pdf(document, layout).pages
        per_document[name] = time.perf_counter() - began
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "documents": len(documents),
        "pages": pages,
        "import": imported,
        "per_document": per_document,
    }


def personalised_html(root: str, aid_id: str) -> tuple[str, object]:
    """The HTML the web app renders for the benchmark's POST: the same form reading,
    the same Consult, the same make_copy, asked for HTML instead of PDF."""
    from starlette.datastructures import FormData

    from decisionaid.pipeline.core import make_copy
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions, ContentLayout
    from decisionaid.web.forms import ConsultForm

    ctx = Context.open(Path(root), BuildOptions(formats=("html",)))
    loaded = ctx.content.load(ctx.content.aid_paths((aid_id,))[0])
    aid = loaded.aid
    fields = [("patient", PATIENT), ("clinician", "Dr. Benchmark"), ("date", CONSULT_DATE)]
    fields += [("kind", "handout"), *(("options", o.id) for o in aid.options)]
    consult = ConsultForm.read(FormData(fields), aid).consult(aid)
    result = make_copy(loaded, ctx, consult)
    if not result.ok:
        raise SystemExit(f"{aid_id}: cannot be made: {result.problems[0].message}")
    return result.copy.decode("utf-8"), ContentLayout(Path(root))


def worker_weasy_copy(root: str, aid_id: str, repeats: str) -> dict:
    from decisionaid.output.pdf import render_pdf

    document, layout = personalised_html(root, aid_id)
    render_pdf(document, layout)  # warm-up
    times, cpus, pages = [], [], 0
    for _ in range(int(repeats)):
        started, cpu = time.perf_counter(), time.process_time()
        pages = render_pdf(document, layout).pages
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return {
        "median": statistics.median(times),
        "cpu": statistics.median(cpus),
        "repeats": len(times),
        "pages": pages,
    }


def worker_copy(root: str, aid_id: str, repeats: str) -> dict:
    """What the app's render thread does for one POST, `repeats` times (for --profile)."""
    from starlette.datastructures import FormData

    from decisionaid.pipeline.core import make_copy
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions
    from decisionaid.web.forms import ConsultForm

    ctx = Context.open(Path(root), BuildOptions(formats=("pdf",)))
    loaded = ctx.content.load(ctx.content.aid_paths((aid_id,))[0])
    aid = loaded.aid
    fields = [
        ("patient", PATIENT),
        ("date", CONSULT_DATE),
        *(("options", o.id) for o in aid.options),
    ]
    consult = ConsultForm.read(FormData(fields), aid).consult(aid)
    started = time.perf_counter()
    for _ in range(int(repeats)):
        make_copy(loaded, ctx, consult)
    return {"seconds": time.perf_counter() - started}


def big_glossary(examples: str, entries: int = 1_000, aliases: int = 20) -> str:
    """The examples' glossary grown to `entries` entries of `aliases` aliases each, made
    up and starting like common words, which is what made one regular expression slow."""
    common = ["the", "you", "surgery", "your", "nose", "people", "about", "and", "of", "to"]
    have = examples.count("- term:")
    made = []
    for i in range(max(0, entries - have)):
        names = ", ".join(f"{common[(i + j) % len(common)]} {i}x{j}" for j in range(aliases))
        made.append(f"- term: made-up term {i}\n  aliases: [{names}]\n  definition: Made up.\n")
    return examples.rstrip("\n") + "\n" + "".join(made)


def worker_glossary(root: str, aid_id: str, repeats: str = "3") -> dict:
    from decisionaid.pipeline.core import make_aid
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions

    examples = (Path(root) / "glossary" / "en.yaml").read_text(encoding="utf-8")
    out: dict = {"repeats": int(repeats)}
    for name, text in (("examples", examples), ("large", big_glossary(examples))):
        work = Path(tempfile.mkdtemp(prefix="decisionaid-glossary-"))
        try:
            shutil.copytree(root, work / "root")
            (work / "root" / "glossary" / "en.yaml").write_text(text, encoding="utf-8")
            ctx = Context.open(work / "root", BuildOptions(formats=("html",)))
            started = time.perf_counter()
            glossary, problems = ctx.content.glossary("en")
            parse = time.perf_counter() - started
            if problems:
                raise SystemExit(f"the {name} glossary: {problems[0]}")
            loaded = ctx.content.load(ctx.content.aid_paths((aid_id,))[0])
            make_aid(loaded, ctx)  # warm: templates compiled
            times, cpus = [], []
            for _ in range(int(repeats)):
                began, cpu = time.perf_counter(), time.process_time()
                result = make_aid(loaded, ctx)
                times.append(time.perf_counter() - began)
                cpus.append(time.process_time() - cpu)
            if not result.ok:
                raise SystemExit(f"{aid_id}: {result.problems[0]}")
            size = len(text.encode("utf-8"))
            out[name] = {"render": min(times), "cpu": min(cpus), "parse": parse, "bytes": size}
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


WORKERS: dict[str, Callable[..., dict]] = {
    "_floor": worker_floor,
    "_weasy_copy": worker_weasy_copy,
    "_copy": worker_copy,
    "_glossary": worker_glossary,
}
