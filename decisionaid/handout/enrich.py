"""Enrich a validated aid into what the templates show: HTML fields, figures, terms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..approval.state import ApprovalState
from ..content.certainty import LEVELS
from ..content.glossary import Glossary, Linker, Term
from ..content.models import Aid, Benefit, Clinic, Factor, Option, OutcomeRef, Risk, Source
from ..content.outcomes import ClinicOutcomes
from ..content.texts import glossary_terms
from .clinic import ClinicFigure, clinic_figure
from .consult import Consult
from .expect import Expectations, expectations
from .figures import Stated, resolve, stated_figures
from .groups import ForPatient, for_patient
from .icons import IconArray, layout
from .markup import to_html
from .qr import qr_data_uri
from .risk import SCALE, Figure, denominator
from .timeline import Timeline, timeline


@dataclass(frozen=True)
class Outcome:
    """A benefit or a risk, with its chance restated on the handout's denominator."""

    uid: str
    kind: str  # "benefit" | "risk"
    name: str | None
    text: str
    severity: str | None
    figure: Figure | None  # the figure drawn: the patient's group's, else everyone's
    icons: IconArray | None
    source: Source | None
    source_number: int | None
    shown: ForPatient = ForPatient(None)  # the groups: for this patient, or in words
    ours: ClinicFigure | None = None  # the clinic's own audited figure (handout/clinic.py)


@dataclass(frozen=True)
class Picture:
    """An illustration, embedded (a data: URL), shown through <img> so nothing in it runs."""

    src: str
    alt: str
    caption: str | None


@dataclass(frozen=True)
class OptionView:
    id: str
    name: str
    no_action: bool
    description: Markup
    living_with: Markup
    benefits: tuple[Outcome, ...]
    risks: tuple[Outcome, ...]
    timeline: Timeline | None = None
    pictures: tuple[Picture, ...] = ()


@dataclass(frozen=True)
class Handout:
    """Everything one handout shows, ready for the templates."""

    aid: Aid
    clinic: Clinic
    condition: Markup
    options: tuple[OptionView, ...]
    uncertainties: tuple[Markup, ...]
    expectations: tuple[Markup, ...]
    next_steps: Markup
    terms: tuple[Term, ...]
    glossary: Glossary
    per: int  # the one denominator of every chance in this handout
    converted: bool  # some chance was written with a smaller denominator
    scale: tuple[str, ...]  # the word-scale keys, most common first
    has_chances: bool
    certainties: tuple[str, ...] = ()  # the certainty levels its figures use, surest first
    paper: str = "letter"
    large_print: bool = False
    full_url: str | None = None  # where the full handout is published (clinic.handouts_url)
    full_url_qr: str | None = None  # that address as a QR code (an SVG data: URL)
    logo: str | None = None  # the clinic's logo as a data: URL (so the HTML stands alone)
    consult: Consult | None = None  # a copy for one patient (name, clinician, date)
    factors: tuple[Factor, ...] = ()  # the patient's factors this copy's chances are for
    pictures: tuple[Picture, ...] = ()  # about the condition
    expect: Expectations = Expectations()  # hopes, quiz, feelings, when to call (expect.py)
    # Approved, changed since approval, or a draft: printed on every page and on a copy.
    approval: ApprovalState | None = None
    audit: ClinicOutcomes | None = None  # the clinic's own results, when any is shown
    # What the key explains of them: "figure" (an interval and a picture), "too_few", "few".
    ours_shown: frozenset[str] = frozenset()

    def linker(self, markup: Callable[[str, str], str]) -> Linker:
        """A fresh first-use linker for one rendering; `markup(anchor, words)` is the
        template's link (so its words and markup stay in the templates)."""
        return self.glossary.linker(self.terms, markup)


def enrich(
    aid: Aid,
    clinic: Clinic,
    glossary: Glossary,
    large_print: bool = False,
    paper: str | None = None,
    consult: Consult | None = None,
    logo: str | None = None,
    factors: dict[str, Factor] | None = None,
    images: dict[str, str] | None = None,
    approval: ApprovalState | None = None,
    *,
    words: Callable[[Stated], str],
    audit: ClinicOutcomes | None = None,
) -> Handout:
    """Turn a validated aid into a Handout (`paper` overrides the clinic's). A consult
    keeps only its options (and the no-action one) and prints who the copy is for.
    `words` says a figure referred to in the text (`{id}`), in the aid's language."""
    if consult is not None:
        aid = consult.select(aid)
    per = denominator(aid.chances())
    numbers = {source.id: n for n, source in enumerate(aid.sources, start=1)}
    sources = {source.id: source for source in aid.sources}
    factors = factors or {}
    chosen = consult.factors if consult else ()
    stated = stated_figures(aid, factors, chosen)
    aid = resolve(aid, stated, words)
    outcomes = list(aid.outcomes())
    options = tuple(
        _option(
            option,
            [r for r in outcomes if r.option_index == i],
            per,
            sources,
            numbers,
            lambda item: for_patient(item, per, factors, chosen, numbers),
            images or {},
            # The clinic's figure is never a group's: in a copy for one, it is labelled.
            lambda option_id, item: (
                clinic_figure(audit, option_id, item, per, general=bool(chosen)) if audit else None
            ),
        )
        for i, option in enumerate(aid.options)
    )
    ours = [o.ours for opt in options for o in (*opt.benefits, *opt.risks) if o.ours]
    terms = glossary_terms(aid, glossary)
    figures = [o.figure for opt in options for o in (*opt.benefits, *opt.risks) if o.figure]
    full_url = (
        f"{clinic.handouts_url.rstrip('/')}/{aid.language}/{aid.id}.html"
        if clinic.handouts_url
        else None
    )
    return Handout(
        aid=aid,
        clinic=clinic,
        condition=to_html(aid.condition),
        options=options,
        uncertainties=tuple(map(to_html, aid.uncertainties)),
        expectations=tuple(map(to_html, aid.expectations)),
        next_steps=to_html(aid.next_steps),
        terms=tuple(terms),
        glossary=glossary,
        per=per,
        converted=any(f.converted for f in figures),
        scale=tuple(key for key, _ in SCALE),
        has_chances=bool(figures),
        certainties=_certainties(aid),
        paper=paper or clinic.paper,
        large_print=large_print,
        full_url=full_url,
        full_url_qr=qr_data_uri(full_url) if full_url else None,
        logo=logo,
        consult=consult,
        factors=tuple(factors[f] for f in chosen if f in factors),
        pictures=_pictures(aid.illustrations, images or {}),
        expect=expectations(aid, stated, consult.goals if consult else ()),
        approval=approval,
        audit=audit if ours else None,
        ours_shown=frozenset(kind for c in ours for kind in c.kinds),
    )


def _option(
    option: Option,
    refs: list[OutcomeRef],
    per: int,
    sources: dict[str, Source],
    numbers: dict[str, int],
    shown_for: Callable[[Benefit], ForPatient],
    images: dict[str, str],
    ours_for: Callable[[str, Benefit], ClinicFigure | None],
) -> OptionView:
    def outcome(ref: OutcomeRef) -> Outcome:
        item = ref.item
        shown = shown_for(item)
        fig = shown.main
        kind = "benefit" if ref.kind == "benefits" else "risk"
        return Outcome(
            uid=f"{option.id}-{kind}-{ref.index}",
            kind=kind,
            name=item.name if isinstance(item, Risk) else None,
            text=item.text,
            severity=item.severity if isinstance(item, Risk) else None,
            figure=fig,
            icons=layout(fig) if fig else None,
            source=sources.get(item.source) if item.source else None,
            source_number=_number(shown, item.source, numbers),
            shown=shown,
            ours=ours_for(option.id, item),
        )

    return OptionView(
        id=option.id,
        name=option.name,
        no_action=option.no_action,
        description=to_html(option.description),
        living_with=to_html(option.living_with),
        benefits=tuple(outcome(r) for r in refs if r.kind == "benefits"),
        risks=tuple(outcome(r) for r in refs if r.kind == "risks"),
        timeline=timeline(option.recovery),
        pictures=_pictures(option.illustrations, images),
    )


def _certainties(aid: Aid) -> tuple[str, ...]:
    """The certainty levels of the aid's figures (the groups' too), surest first: the
    key explains the words the reader meets."""
    used = {chance.certainty for chance in aid.chances() if chance.certainty}
    return tuple(level for level in LEVELS if level in used)


def _pictures(illustrations: list, images: dict[str, str]) -> tuple[Picture, ...]:
    return tuple(
        Picture(images[p.file], p.alt, p.caption) for p in illustrations if p.file in images
    )


def _number(shown: ForPatient, source: str | None, numbers: dict[str, int]) -> int | None:
    """The citation of the figure drawn: the group's own source when it is a group's."""
    if shown.group is not None:
        return shown.group.source_number
    return numbers.get(source) if source else None
